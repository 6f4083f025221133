import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

const ROLE_NAME = /^[a-z0-9][a-z0-9_.:-]{0,99}$/;
/** A permission is a registered name (GET …/permissions): an admin one or an API resource's scope. */
const PERMISSION = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;
const PERMISSION_MESSAGE = 'each permission must be 1-100 printable characters (see GET …/permissions)';

export class CreateRoleDto {
  @ApiProperty({ example: 'support' })
  @IsString()
  @Matches(ROLE_NAME, {
    message: 'name must be 1-100 characters of a-z, 0-9 and _.:- (starting with a letter or digit)',
  })
  name: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;

  @ApiProperty({
    type: [String],
    example: ['users:read'],
    description: 'names from GET …/permissions; `type:*` grants every action of a resource type',
  })
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(PERMISSION, { each: true, message: PERMISSION_MESSAGE })
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

  @ApiPropertyOptional({ type: [String], description: 'names from GET …/permissions' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(PERMISSION, { each: true, message: PERMISSION_MESSAGE })
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
