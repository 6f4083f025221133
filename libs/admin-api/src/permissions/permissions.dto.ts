import { ApiProperty } from '@nestjs/swagger';

export class PermissionDto {
  @ApiProperty({
    example: 'users',
    description: 'the resource type (`users`) of an admin permission, the identifier of an API resource for its scopes',
  })
  resource: string;

  @ApiProperty({ example: 'users:read', description: 'the name a role grants' }) permission: string;
  @ApiProperty() description: string;
}

export class PermissionListDto {
  @ApiProperty({ type: [PermissionDto] }) items: PermissionDto[];
  @ApiProperty({ type: String, nullable: true, description: 'always null: the whole registry in one answer' })
  nextCursor: null;
}
