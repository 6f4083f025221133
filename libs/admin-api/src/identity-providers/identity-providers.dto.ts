import { LINK_POLICIES, type LinkPolicy, PROVIDER_TYPES, type ProviderType } from '@app/federation';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

const ALIAS = /^[a-z0-9][a-z0-9-]{0,62}$/;
const ALIAS_MESSAGE = 'must be lower-case letters, digits and dashes (at most 63), not starting with a dash';
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/;

class ProviderSettingsDto {
  @ApiPropertyOptional({
    example: 'https://login.corp.example',
    description: 'type oidc (and microsoft: its directory issuer)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  issuer?: string;

  @ApiPropertyOptional({ type: [String], example: ['openid', 'email', 'profile'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @Matches(SCOPE, { each: true, message: 'each scope must be a scope token' })
  scopes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'aliases offered, in order, while this one is unhealthy' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(ALIAS, { each: true, message: `each fallback ${ALIAS_MESSAGE}` })
  fallbacks?: string[];

  @ApiPropertyOptional({ default: true, description: 'create the user on first sign-in' })
  @IsOptional()
  @IsBoolean()
  jit?: boolean;

  @ApiPropertyOptional({ enum: LINK_POLICIES, default: 'verified-email' })
  @IsOptional()
  @IsIn(LINK_POLICIES)
  linkBy?: LinkPolicy;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class CreateIdentityProviderDto extends ProviderSettingsDto {
  @ApiProperty({ example: 'corp' })
  @IsString()
  @Matches(ALIAS, { message: `alias ${ALIAS_MESSAGE}` })
  alias: string;

  @ApiProperty({ example: 'Corporate login' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  displayName: string;

  @ApiProperty({ enum: PROVIDER_TYPES })
  @IsIn(PROVIDER_TYPES)
  type: ProviderType;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(512)
  clientId: string;

  @ApiProperty({ description: 'write-only: stored encrypted, never returned' })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  clientSecret: string;
}

export class UpdateIdentityProviderDto extends ProviderSettingsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(128) displayName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(512) clientId?: string;

  @ApiPropertyOptional({ description: 'write-only: replaces the stored secret' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  clientSecret?: string;
}

/** What the admin API shows of a provider: everything but the secret. */
export class IdentityProviderDto {
  @ApiProperty() id: string;
  @ApiProperty() alias: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: PROVIDER_TYPES }) type: ProviderType;
  @ApiProperty({ nullable: true, type: String }) issuer: string | null;
  @ApiProperty() clientId: string;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ type: [String] }) fallbacks: string[];
  @ApiProperty() jit: boolean;
  @ApiProperty({ enum: LINK_POLICIES }) linkBy: LinkPolicy;
  @ApiProperty() enabled: boolean;
  @ApiProperty({ description: 'the upstream sends users back here; register it there' }) redirectUri: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}
