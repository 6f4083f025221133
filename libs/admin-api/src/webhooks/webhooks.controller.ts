import { RequirePermission } from '@app/platform';
import { endpointHealth, type WebhookDeliveryEntity, type WebhookEndpointEntity, WebhooksService } from '@app/webhooks';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DEFAULT_PAGE, PageQueryDto } from '../common/paging.js';
import { ApiPage } from '../common/api-page.decorator.js';
import { TenantProvisioningService } from '@app/provisioning';
import {
  CreateWebhookDto,
  DeliveryPageQueryDto,
  RotateWebhookSecretDto,
  UpdateWebhookDto,
  WebhookDeliveryDto,
  WebhookDto,
  WebhookTestDto,
} from './webhooks.dto.js';

function webhookDto(endpoint: WebhookEndpointEntity, secret?: string): WebhookDto {
  const { status, consecutiveFailures, consecutiveSuccesses, unhealthyUntil } = endpointHealth(endpoint);
  const health = { status, consecutiveFailures, consecutiveSuccesses, ...(unhealthyUntil ? { unhealthyUntil } : {}) };
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    ...(secret ? { secret } : {}),
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    ...health,
    lastSuccessAt: endpoint.lastSuccessAt?.toISOString() ?? null,
    lastFailureAt: endpoint.lastFailureAt?.toISOString() ?? null,
    previousSecretExpiresAt:
      endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date()
        ? endpoint.previousSecretExpiresAt.toISOString()
        : null,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

function deliveryDto(delivery: WebhookDeliveryEntity): WebhookDeliveryDto {
  const { id, eventId, eventType, attempt, status, statusCode, error, durationMs } = delivery;
  return {
    id,
    eventId,
    eventType,
    attempt,
    status,
    statusCode,
    error,
    durationMs,
    deliveredAt: delivery.deliveredAt.toISOString(),
  };
}

/** Tenant scope is enforced by the global guard (`:slug` against the token's tenant). */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('admin/tenants/:slug/webhooks')
export class WebhooksAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly webhooks: WebhooksService,
  ) {}

  private async tenantId(slug: string): Promise<string> {
    return (await this.tenants.get(slug)).id;
  }

  @Post()
  @RequirePermission('webhooks:write')
  @ApiCreatedResponse({ type: WebhookDto, description: 'the secret is in this answer only' })
  async create(@Param('slug') slug: string, @Body() body: CreateWebhookDto): Promise<WebhookDto> {
    const { endpoint, secret } = await this.webhooks.create(await this.tenantId(slug), body);
    return webhookDto(endpoint, secret);
  }

  @Get()
  @RequirePermission('webhooks:read')
  @ApiPage(WebhookDto)
  async list(@Param('slug') slug: string, @Query() query: PageQueryDto) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.webhooks.list(await this.tenantId(slug), limit + 1, query.cursor);
    const items = rows.slice(0, limit);
    return {
      items: items.map((e) => webhookDto(e)),
      nextCursor: rows.length > limit ? items[items.length - 1].id : null,
    };
  }

  @Get(':id')
  @RequirePermission('webhooks:read')
  @ApiOkResponse({ type: WebhookDto })
  async get(@Param('slug') slug: string, @Param('id') id: string): Promise<WebhookDto> {
    return webhookDto(await this.webhooks.get(await this.tenantId(slug), id));
  }

  @Patch(':id')
  @RequirePermission('webhooks:write')
  @ApiOkResponse({ type: WebhookDto })
  async update(@Param('slug') slug: string, @Param('id') id: string, @Body() body: UpdateWebhookDto) {
    return webhookDto(await this.webhooks.update(await this.tenantId(slug), id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission('webhooks:write')
  async delete(@Param('slug') slug: string, @Param('id') id: string): Promise<void> {
    await this.webhooks.delete(await this.tenantId(slug), id);
  }

  @Post(':id/secret')
  @HttpCode(200)
  @RequirePermission('webhooks:write')
  @ApiOkResponse({ type: WebhookDto, description: 'the new secret is in this answer only' })
  async rotateSecret(@Param('slug') slug: string, @Param('id') id: string, @Body() body: RotateWebhookSecretDto) {
    const { endpoint, secret } = await this.webhooks.rotateSecret(
      await this.tenantId(slug),
      id,
      body.keepPreviousForSeconds ?? 0,
    );
    return webhookDto(endpoint, secret);
  }

  @Get(':id/deliveries')
  @RequirePermission('webhooks:read')
  @ApiPage(WebhookDeliveryDto)
  async deliveries(@Param('slug') slug: string, @Param('id') id: string, @Query() query: DeliveryPageQueryDto) {
    const limit = query.limit ?? DEFAULT_PAGE;
    const rows = await this.webhooks.deliveries(await this.tenantId(slug), id, limit + 1, query.cursor);
    const items = rows.slice(0, limit);
    return { items: items.map(deliveryDto), nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }

  @Post(':id/test')
  @HttpCode(202)
  @RequirePermission('webhooks:write')
  @ApiAcceptedResponse({ type: WebhookTestDto, description: 'a webhook.test event is queued for this endpoint' })
  async test(@Param('slug') slug: string, @Param('id') id: string): Promise<WebhookTestDto> {
    return this.webhooks.sendTest(await this.tenantId(slug), id);
  }
}
