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
  ValidateIf,
} from 'class-validator';

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

export class UpdateResourceDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/, {
    each: true,
    message: 'each scope must be 1-100 printable characters',
  })
  scopes?: string[];

  @ApiPropertyOptional({ minimum: 60, maximum: 86400, nullable: true, description: "null: the tenant's default" })
  @ValidateIf((_dto, value) => value !== null)
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(86400)
  accessTokenTtl?: number | null;
}

export class ResourceDto {
  @ApiProperty() id: string;
  @ApiProperty() identifier: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiPropertyOptional() accessTokenTtl: number | null;
}
