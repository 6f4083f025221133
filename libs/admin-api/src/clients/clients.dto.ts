import { APPLICATION_TYPES, type ApplicationType } from '@app/clients';
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
