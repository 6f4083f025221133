import { type AuditEventEntity, AuditService } from '@app/audit';
import { RequirePermission } from '@app/platform';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiPage } from './api-page.decorator.js';
import { TenantProvisioningService } from './tenant-provisioning.service.js';

export class AuditQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) type?: string;
  @ApiPropertyOptional({ description: 'ISO 8601 date-time' }) @IsOptional() @Type(() => Date) @IsDate() since?: Date;
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
  @ApiProperty() count: number;
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
    const rows = await this.audit.list(tenant.id, {
      type: query.type,
      since: query.since,
      limit: limit + 1,
      beforeSeq: query.cursor,
    });
    const items = rows.slice(0, limit);
    return { items: items.map(auditEventDto), nextCursor: rows.length > limit ? items[items.length - 1].seq : null };
  }

  @Get('verify')
  @RequirePermission('audit:read')
  @ApiOkResponse({ type: AuditVerificationDto })
  async verify(@Param('slug') slug: string): Promise<AuditVerificationDto> {
    return this.audit.verify((await this.tenants.get(slug)).id);
  }
}
