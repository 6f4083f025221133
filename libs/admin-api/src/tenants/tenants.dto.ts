import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { TenantSettingsDto } from './tenant-settings.dto.js';

export class CreateTenantDto {
  @ApiProperty({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$', example: 'acme' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'slug must match ^[a-z0-9][a-z0-9-]{1,62}$' })
  slug: string;

  @ApiProperty({ example: 'Acme Inc.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName: string;
}

export class UpdateTenantDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ type: () => TenantSettingsDto, description: 'merged into the current settings' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TenantSettingsDto)
  settings?: TenantSettingsDto;
}

export class TenantDto {
  @ApiProperty() id: string;
  @ApiProperty() slug: string;
  @ApiProperty() displayName: string;
  @ApiProperty() issuer: string;
  @ApiProperty({ description: 'effective settings (defaults filled in)' }) settings: Record<string, unknown>;
  @ApiProperty() createdAt: string;
}

export class TokensIssuedDto {
  @ApiProperty() authorization_code: number;
  @ApiProperty() refresh_token: number;
  @ApiProperty() client_credentials: number;
}

export class HourlyActivityDto {
  @ApiProperty({ description: 'start of the hour (UTC), ISO 8601' }) hour: string;
  @ApiProperty({ description: 'sign-ins completed in this hour' }) signIns: number;
  @ApiProperty({ description: 'tokens issued in this hour, all grant types' }) tokens: number;
}

export class TenantStatsDto {
  @ApiProperty() users: number;
  @ApiProperty() clients: number;
  @ApiProperty({ description: 'sign-in sessions currently alive' }) activeSessions: number;
  @ApiProperty({ type: TokensIssuedDto, description: 'tokens issued in the last 24 hours, by grant type' })
  tokensIssuedLast24h: Record<string, number>;
  @ApiProperty({ type: [HourlyActivityDto], description: 'the last 24 hours, oldest first, the current hour last' })
  hourly: HourlyActivityDto[];
}
