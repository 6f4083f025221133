import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';

const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;
const SCOPE_MESSAGE = 'each scope must be 1-100 printable characters';

/** `{scope: description}`: at most `max` entries, each a scope name and a text of up to 200 characters. */
function ScopeDescriptions(max = 100): PropertyDecorator {
  return ValidateBy({
    name: 'scopeDescriptions',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= max &&
        Object.entries(value).every(
          ([scope, text]) => SCOPE.test(scope) && typeof text === 'string' && text.length > 0 && text.length <= 200,
        ),
      defaultMessage: () => `scopeDescriptions must map scopes to texts of 1-200 characters (at most ${max})`,
    },
  });
}

const CLIENT_IDS_DESCRIPTION =
  'client ids of confidential clients acting as this API’s resource server: they may introspect tokens and API keys whose audience is this resource';

export class CreateResourceDto {
  @ApiProperty({ example: 'https://api.example.com' })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  @Matches(/^[a-z][a-z0-9+.-]*:[^\s#]+$/i, { message: 'identifier must be an absolute URI without a fragment' })
  identifier: string;

  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;

  @ApiProperty({ type: [String], description: 'each scope is also a permission roles may grant' })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(SCOPE, { each: true, message: SCOPE_MESSAGE })
  scopes: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'orders:write': 'Place and cancel orders' },
  })
  @IsOptional()
  @ScopeDescriptions()
  scopeDescriptions?: Record<string, string>;

  @ApiPropertyOptional({ minimum: 60, maximum: 86400 })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86400)
  accessTokenTtl?: number;

  @ApiPropertyOptional({ type: [String], description: CLIENT_IDS_DESCRIPTION })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  introspectionClients?: string[];
}

export class UpdateResourceDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'the whole new list; removing a scope an API key or a role still uses is refused (409)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(SCOPE, { each: true, message: SCOPE_MESSAGE })
  scopes?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @ScopeDescriptions()
  scopeDescriptions?: Record<string, string>;

  @ApiPropertyOptional({ minimum: 60, maximum: 86400, nullable: true, description: 'null: the tenant default' })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86400)
  accessTokenTtl?: number | null;

  @ApiPropertyOptional({ type: [String], description: CLIENT_IDS_DESCRIPTION })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  introspectionClients?: string[];
}

export class ResourceDto {
  @ApiProperty() id: string;
  @ApiProperty() identifier: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) scopeDescriptions: Record<string, string>;
  @ApiPropertyOptional({ type: Number, nullable: true }) accessTokenTtl: number | null;
  @ApiProperty({ type: [String], description: CLIENT_IDS_DESCRIPTION }) introspectionClients: string[];
}
