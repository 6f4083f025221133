export { PasskeyDto, passkeyDto } from './passkey.dto.js';
export { PasskeyEntity } from './passkey.entity.js';
export { PasskeyRejectedError } from './passkey-rejected.error.js';
export type { PasskeyRejection } from './passkey-rejected.error.js';
export { PasskeysModule } from './passkeys.module.js';
export { MAX_PASSKEYS_PER_USER, PasskeysService } from './passkeys.service.js';
export type { PasskeySignIn } from './passkeys.service.js';
