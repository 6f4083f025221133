import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const EXPIRES_AT = 'an ISO 8601 time in the future; absent: the key does not expire';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'nightly export' }) @IsString() @MinLength(1) @MaxLength(200) name: string;

  @ApiPropertyOptional({
    description: 'the API resource the key is for (its `aud`); one the client is allowed, by default its first',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  resource?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'scopes the resource defines, and `roles` to add the client’s roles and permissions',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, {
    each: true,
    message: 'each scope must be 1-100 printable characters',
  })
  scopes?: string[];

  @ApiPropertyOptional({ format: 'date-time', description: EXPIRES_AT })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 date and time' })
  expiresAt?: string;
}

export class RegenerateApiKeyDto {
  @ApiPropertyOptional({
    format: 'date-time',
    nullable: true,
    description: 'a new expiry (null: none); absent: the key keeps its expiry',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 date and time' })
  expiresAt?: string | null;
}

export class ApiKeyDto {
  @ApiProperty() id: string;
  @ApiProperty() clientId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'idpk_7fQx', description: 'the first characters of the key, to tell keys apart' })
  hint: string;
  @ApiProperty({ type: String, nullable: true }) resource: string | null;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) expiresAt: string | null;
  @ApiProperty() expired: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    description: 'recorded in batches: up to 30 s behind',
  })
  lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) regeneratedAt: string | null;
}

export class IssuedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'the key itself: in this answer only, never again (only its SHA-256 is kept)' })
  apiKey: string;
}
