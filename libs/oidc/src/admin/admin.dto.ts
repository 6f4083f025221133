import { APPLICATION_TYPES, type ApplicationType } from '@app/clients';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class UserPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'matches username or email' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

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

export class PasswordPolicyDto {
  @ApiPropertyOptional({ minimum: 8, maximum: 128 }) @IsOptional() @IsInt() @Min(8) @Max(128) minLength?: number;
  @ApiPropertyOptional({ minimum: 8, maximum: 1024 }) @IsOptional() @IsInt() @Min(8) @Max(1024) maxLength?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireUppercase?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireLowercase?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireDigit?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requireSymbol?: boolean;
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

const uriList = (max: number) => [
  IsArray(),
  ArrayMaxSize(max),
  IsString({ each: true }),
  MaxLength(2048, { each: true }),
];
function UriList(max = 20): PropertyDecorator {
  return (target, key) => uriList(max).forEach((d) => d(target, key));
}

export class CreateClientDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;

  @ApiProperty({ enum: APPLICATION_TYPES })
  @IsIn(APPLICATION_TYPES as unknown as string[], {
    message: `applicationType must be one of ${APPLICATION_TYPES.join(', ')}`,
  })
  applicationType: ApplicationType;

  @ApiPropertyOptional({ type: [String] }) @IsOptional() @UriList() redirectUris?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @UriList() postLogoutRedirectUris?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, {
    each: true,
    message: 'each scope must be 1-100 printable characters',
  })
  scopes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'API resource identifiers; the first is the default' })
  @IsOptional()
  @UriList()
  resources?: string[];

  @ApiPropertyOptional() @IsOptional() @IsBoolean() firstParty?: boolean;
}

export class UpdateClientDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @UriList() redirectUris?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @UriList() postLogoutRedirectUris?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, { each: true })
  scopes?: string[];
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @UriList() resources?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() firstParty?: boolean;
}

export class ClientDto {
  @ApiProperty() id: string;
  @ApiProperty() clientId: string;
  @ApiPropertyOptional({ description: 'only in the answer that created or rotated it' }) clientSecret?: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: APPLICATION_TYPES }) applicationType: string;
  @ApiProperty({ type: [String] }) redirectUris: string[];
  @ApiProperty({ type: [String] }) postLogoutRedirectUris: string[];
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ type: [String] }) resources: string[];
  @ApiProperty() firstParty: boolean;
  @ApiProperty() createdAt: string;
}

export class CreateResourceDto {
  @ApiProperty({ example: 'https://api.example.com' })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  @Matches(/^[a-z][a-z0-9+.-]*:[^\s#]+$/i, { message: 'identifier must be an absolute URI without a fragment' })
  identifier: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, {
    each: true,
    message: 'each scope must be 1-100 printable characters',
  })
  scopes: string[];

  @ApiPropertyOptional({ minimum: 60, maximum: 86400 })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86400)
  accessTokenTtl?: number;
}

export class ResourceDto {
  @ApiProperty() id: string;
  @ApiProperty() identifier: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiPropertyOptional() accessTokenTtl: number | null;
}

export class CreateUserDto {
  @ApiProperty()
  @IsString()
  @Matches(/^[A-Za-z0-9._@+-]{1,128}$/, { message: 'username must be 1-128 characters of letters, digits and ._@+-' })
  username: string;

  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(320) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(8) @MaxLength(128) password?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() emailVerified?: boolean;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiPropertyOptional() email: string | null;
  @ApiProperty() emailVerified: boolean;
  @ApiProperty() disabled: boolean;
  @ApiProperty() createdAt: string;
}

const ROLE_NAME = /^[a-z0-9][a-z0-9_.:-]{0,99}$/;
const PERMISSION = /^[a-z0-9][a-z0-9_.-]{0,63}:[a-z0-9*][a-z0-9_.*-]{0,63}$/;

export class CreateRoleDto {
  @ApiProperty({ example: 'support' })
  @IsString()
  @Matches(ROLE_NAME, {
    message: 'name must be 1-100 characters of a-z, 0-9 and _.:- (starting with a letter or digit)',
  })
  name: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;

  @ApiProperty({ type: [String], example: ['users:read'] })
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(PERMISSION, { each: true, message: 'each permission must look like resource:action' })
  permissions: string[];

  @ApiPropertyOptional({ type: [String], description: 'names of roles this role includes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(ROLE_NAME, { each: true, message: 'each included role must be a role name' })
  includes?: string[];
}

export class UpdateRoleDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(PERMISSION, { each: true, message: 'each permission must look like resource:action' })
  permissions?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(ROLE_NAME, { each: true, message: 'each included role must be a role name' })
  includes?: string[];
}

export class RoleDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional() description: string | null;
  @ApiProperty({ type: [String] }) permissions: string[];
  @ApiProperty({ type: [String] }) includes: string[];
}

export class AssignRolesDto {
  @ApiProperty({ type: [String], example: ['viewer'] })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(ROLE_NAME, { each: true, message: 'each role must be a role name' })
  roles: string[];
}

export class AssignedRolesDto {
  @ApiProperty({ type: [String] }) roles: string[];
}

export class UpdateUserDto {
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsEmail() @MaxLength(320) email?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() emailVerified?: boolean;
  @ApiPropertyOptional({ description: 'a disabled user cannot sign in and its account lookups fail' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

export class SetPasswordDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(1024) password: string;
}

export class TokensIssuedDto {
  @ApiProperty() authorization_code: number;
  @ApiProperty() refresh_token: number;
  @ApiProperty() client_credentials: number;
}

export class TenantStatsDto {
  @ApiProperty() users: number;
  @ApiProperty() clients: number;
  @ApiProperty({ description: 'sign-in sessions currently alive' }) activeSessions: number;
  @ApiProperty({ type: TokensIssuedDto, description: 'tokens issued in the last 24 hours, by grant type' })
  tokensIssuedLast24h: Record<string, number>;
}
