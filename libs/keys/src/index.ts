export { KeysModule } from './keys.module.js';
export { KeysService } from './keys.service.js';
export type { PrivateSigningJwk } from './keys.service.js';
export { SigningKeyEntity } from './signing-key.entity.js';
