import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

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
