import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../common/paging.js';

export class UserPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'matches username or email' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
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
  @ApiPropertyOptional({ description: 'display name, as the user set it on their account (OIDC `name`)' })
  name: string | null;
  @ApiPropertyOptional({ description: 'the last completed sign-in (all steps, second factor included); null = never' })
  lastLoginAt: string | null;
  @ApiProperty() createdAt: string;
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
