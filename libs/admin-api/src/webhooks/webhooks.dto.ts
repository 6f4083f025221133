import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

const EVENT_TYPE = /^(\*|[a-z0-9_]{1,32}(\.[a-z0-9_]{1,32}){0,4}(\.\*)?)$/;
const EVENT_TYPE_MESSAGE = 'each event type must be a type (login.success), a prefix (login.*) or *';
const HTTP_URL = /^https?:\/\/[^\s]+$/i;

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://hooks.example.com/idp', description: 'https (http only outside production)' })
  @IsString()
  @MaxLength(2048)
  @Matches(HTTP_URL, { message: 'url must be an absolute http(s) URL' })
  url: string;

  @ApiProperty({ type: [String], example: ['login.*', 'mfa.enrolled'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(EVENT_TYPE, { each: true, message: EVENT_TYPE_MESSAGE })
  eventTypes: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) description?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(HTTP_URL, { message: 'url must be an absolute http(s) URL' })
  url?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(EVENT_TYPE, { each: true, message: EVENT_TYPE_MESSAGE })
  eventTypes?: string[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) description?: string;

  @ApiPropertyOptional({ description: 'true re-enables a disabled endpoint and clears its failure count' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 604800,
    default: 0,
    description: 'seconds the old secret keeps signing too (a second v1=); 0 = it stops now',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(604800)
  keepPreviousForSeconds?: number;
}

export class WebhookDto {
  @ApiProperty() id: string;
  @ApiProperty() url: string;
  @ApiPropertyOptional() description: string | null;
  @ApiProperty({ type: [String] }) eventTypes: string[];
  @ApiPropertyOptional({ description: 'only in the answer that created or rotated it; sign-verification key' })
  secret?: string;
  @ApiProperty() enabled: boolean;
  @ApiPropertyOptional() disabledReason: string | null;
  @ApiProperty({
    enum: ['healthy', 'degraded', 'unhealthy'],
    description:
      'the health model: degraded after 3 failed deliveries in a row, unhealthy after 5 (within HEALTH_FAILURE_WINDOW), ' +
      'held unhealthy for HEALTH_EXTERNAL_HOLD, healthy again after 3 successful deliveries in a row',
  })
  status: string;
  @ApiProperty() consecutiveFailures: number;
  @ApiProperty() consecutiveSuccesses: number;
  @ApiPropertyOptional({ description: 'while unhealthy: the end of the hold' })
  unhealthyUntil?: string;
  @ApiPropertyOptional() lastSuccessAt: string | null;
  @ApiPropertyOptional() lastFailureAt: string | null;
  @ApiPropertyOptional({ description: 'while set, the previous secret also signs' })
  previousSecretExpiresAt: string | null;
  @ApiProperty() createdAt: string;
}

export class WebhookDeliveryDto {
  @ApiProperty() id: string;
  @ApiProperty() eventId: string;
  @ApiProperty() eventType: string;
  @ApiProperty() attempt: number;
  @ApiProperty({ enum: ['succeeded', 'failed'] }) status: string;
  @ApiPropertyOptional() statusCode: number | null;
  @ApiPropertyOptional() error: string | null;
  @ApiProperty() durationMs: number;
  @ApiProperty() deliveredAt: string;
}

export class WebhookTestDto {
  @ApiProperty({ description: 'the id (X-Webhook-Id) of the queued webhook.test event' }) eventId: string;
}

export class DeliveryPageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}
