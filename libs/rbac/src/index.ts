export type { PermissionEntry } from './permission-catalog.js';
export { PermissionRegistry } from './permission-registry.js';
export { RbacModule } from './rbac.module.js';
export { RbacService } from './rbac.service.js';
export { RoleAssignmentEntity, RoleEntity } from './role.entity.js';
