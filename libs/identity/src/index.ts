export { IdentityModule } from './identity.module.js';
export { PasswordHistoryEntity } from './password-history.entity.js';
export { passwordPolicyViolations } from './password-policy.js';
export { PasswordsService } from './passwords.service.js';
export type { CheckedPassword } from './passwords.service.js';
export { UserActionTokenEntity } from './user-action-token.entity.js';
export { UserActionTokensService } from './user-action-tokens.service.js';
export { UserEntity } from './user.entity.js';
export { UsersService, userClaims } from './users.service.js';
