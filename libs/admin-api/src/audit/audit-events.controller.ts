import { type AuditEventEntity, AuditService } from '@app/audit';
import { RequirePermission } from '@app/platform';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { once } from 'node:events';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiPage } from '../common/api-page.decorator.js';
import { TenantProvisioningService } from '@app/provisioning';

export class AuditFilterDto {
  @ApiPropertyOptional({ example: 'login.failure' }) @IsOptional() @IsString() @MaxLength(64) type?: string;
  @ApiPropertyOptional({ description: 'actor id (user id or client id)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  actor?: string;
  @ApiPropertyOptional({ description: 'what the event is about (user id, username, route ids)' })
  @IsOptional()
  @IsString()
  @MaxLength(256)
  subject?: string;
  @ApiPropertyOptional({ description: 'ISO 8601 date-time (inclusive)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  since?: Date;
  @ApiPropertyOptional({ description: 'ISO 8601 date-time (inclusive)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  until?: Date;
}

export class AuditQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{1,18}$/) cursor?: string;
}

export class AuditEventDto {
  @ApiProperty() id: string;
  @ApiProperty() seq: number;
  @ApiProperty() type: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty() actor: { type: string; id: string | null };
  @ApiPropertyOptional() subject: string | null;
  @ApiPropertyOptional() clientId: string | null;
  @ApiPropertyOptional() ip: string | null;
  @ApiPropertyOptional() userAgent: string | null;
  @ApiProperty({ enum: ['success', 'failure'] }) outcome: string;
  @ApiProperty() data: Record<string, unknown>;
  @ApiProperty() prevHash: string;
  @ApiProperty() hash: string;
}

export class AuditVerificationDto {
  @ApiProperty() valid: boolean;
  @ApiProperty({ description: 'events checked (up to the first bad one)' }) count: number;
  @ApiPropertyOptional({ description: 'seq of the first event that breaks the chain' }) firstBadSeq?: number;
  @ApiPropertyOptional({ enum: ['missing event', 'broken link', 'altered event', 'checkpoint signature'] })
  reason?: string;
  @ApiPropertyOptional({ description: 'older events were removed by retention; the chain starts after this seq' })
  startsAfterSeq?: number;
}

function auditEventDto(event: AuditEventEntity): AuditEventDto {
  return {
    id: event.id,
    seq: Number(event.seq),
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    actor: { type: event.actorType, id: event.actorId },
    subject: event.subject,
    clientId: event.clientId,
    ip: event.ip,
    userAgent: event.userAgent,
    outcome: event.outcome,
    data: event.data,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('admin/tenants/:slug/audit-events')
export class AuditAdminController {
  constructor(
    private readonly tenants: TenantProvisioningService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @RequirePermission('audit:read')
  @ApiPage(AuditEventDto)
  async list(@Param('slug') slug: string, @Query() query: AuditQueryDto) {
    const tenant = await this.tenants.get(slug);
    const limit = query.limit ?? 50;
    const { cursor, limit: _limit, ...filter } = query;
    const rows = await this.audit.list(tenant.id, { ...filter, limit: limit + 1, beforeSeq: cursor });
    const items = rows.slice(0, limit);
    return { items: items.map(auditEventDto), nextCursor: rows.length > limit ? items[items.length - 1].seq : null };
  }

  /** The whole (filtered) trail, oldest first, one JSON event per line — for SIEMs and archives. */
  @Get('export')
  @RequirePermission('audit:read')
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'one AuditEvent JSON object per line, oldest first', type: AuditEventDto })
  async export(@Param('slug') slug: string, @Query() query: AuditFilterDto, @Res() res: Response): Promise<void> {
    const tenant = await this.tenants.get(slug);
    res.status(200).type('application/x-ndjson');
    res.setHeader('content-disposition', `attachment; filename="audit-${slug}.ndjson"`);
    for await (const event of this.audit.stream(tenant.id, query)) {
      if (!res.write(`${JSON.stringify(auditEventDto(event))}\n`)) await once(res, 'drain');
    }
    res.end();
  }

  @Get('verify')
  @RequirePermission('audit:read')
  @ApiOkResponse({ type: AuditVerificationDto })
  async verify(@Param('slug') slug: string): Promise<AuditVerificationDto> {
    return this.audit.verify((await this.tenants.get(slug)).id);
  }
}
