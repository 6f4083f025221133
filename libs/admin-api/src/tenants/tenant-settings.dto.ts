import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export class PasswordPolicyDto {
  @ApiPropertyOptional({ minimum: 8, maximum: 128 }) @IsOptional() @IsInt() @Min(8) @Max(128) minLength?: number;
  @ApiPropertyOptional({ minimum: 8, maximum: 1024 }) @IsOptional() @IsInt() @Min(8) @Max(1024) maxLength?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireUppercase?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireLowercase?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireDigit?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireSymbol?: boolean;
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 24,
    description: 'a new password may not be any of the last N (the current one included); 0 = off (default)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(24)
  historyCount?: number;
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 3650,
    description: 'days a password works; after that the sign-in asks for a new one; 0 = never expires (default)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  maxAgeDays?: number;
}

export class LockoutDto {
  @ApiPropertyOptional({ minimum: 3, maximum: 100 }) @IsOptional() @IsInt() @Min(3) @Max(100) threshold?: number;
  @ApiPropertyOptional({ minimum: 60, maximum: 86400 })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86400)
  durationSeconds?: number;
}

export class SessionPolicyDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 1000, description: 'concurrent sessions per user; 0 = unlimited' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  maxPerUser?: number;
  @ApiPropertyOptional({ enum: ['end-oldest', 'refuse'], description: 'a sign-in past the limit' })
  @IsOptional()
  @IsIn(['end-oldest', 'refuse'])
  whenLimitReached?: 'end-oldest' | 'refuse';
  @ApiPropertyOptional({ minimum: 300, maximum: 31536000 })
  @IsOptional()
  @IsInt()
  @Min(300)
  @Max(31536000)
  idleTimeoutSeconds?: number;
  @ApiPropertyOptional({ minimum: 300, maximum: 31536000 })
  @IsOptional()
  @IsInt()
  @Min(300)
  @Max(31536000)
  absoluteTimeoutSeconds?: number;
}

export class RateLimitsDto {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1000000,
    description: 'per client per minute at token endpoints; 0 = off',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000000)
  clientRequestsPerMinute?: number;
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 1000000,
    description: 'admin/account API calls per principal per minute; 0 = off',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000000)
  apiRequestsPerMinute?: number;
}

export class TenantSettingsDto {
  @ApiPropertyOptional({ minimum: 60, maximum: 86400 })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86400)
  accessTokenTtlSeconds?: number;
  @ApiPropertyOptional({ minimum: 60, maximum: 86400 })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86400)
  idTokenTtlSeconds?: number;
  @ApiPropertyOptional({ minimum: 300, maximum: 31536000 })
  @IsOptional()
  @IsInt()
  @Min(300)
  @Max(31536000)
  refreshTokenTtlSeconds?: number;

  @ApiPropertyOptional({ type: PasswordPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PasswordPolicyDto)
  passwordPolicy?: PasswordPolicyDto;

  @ApiPropertyOptional({ type: [String], example: ['https://app.example.com'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, {
    each: true,
    message: 'each CORS origin must be scheme://host[:port]',
  })
  corsOrigins?: string[];

  @ApiPropertyOptional({ type: LockoutDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LockoutDto)
  lockout?: LockoutDto;

  @ApiPropertyOptional({ description: 'users without a second factor enroll one at sign-in' })
  @IsOptional()
  @IsBoolean()
  mfaRequired?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 300,
    description: 'a rotated refresh token used again within this window is honoured; 0 = reuse revokes the grant',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(300)
  refreshTokenReuseGraceSeconds?: number;

  @ApiPropertyOptional({ description: 'also put roles and permissions in ID tokens (roles scope)' })
  @IsOptional()
  @IsBoolean()
  rolesInIdToken?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 3650,
    description: 'audit events older than this are removed; 0 = never',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3650)
  auditRetentionDays?: number;

  @ApiPropertyOptional({ type: RateLimitsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RateLimitsDto)
  rateLimits?: RateLimitsDto;

  @ApiPropertyOptional({ type: SessionPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SessionPolicyDto)
  sessions?: SessionPolicyDto;
  @ApiPropertyOptional({ description: 'the sign-in page offers "Create account" (default false)' })
  @IsOptional()
  @IsBoolean()
  selfRegistration?: boolean;

  @ApiPropertyOptional({
    description:
      'after a sign-in without a passkey, offer to create one ("Not now" / "Don\'t ask again here"); default false',
  })
  @IsOptional()
  @IsBoolean()
  offerPasskeys?: boolean;
}
