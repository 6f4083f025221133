export { CODE_CHANNELS } from './codes/code-channel.js';
export type { CodeChannel, CodeMessage, CodeRecipient } from './codes/code-channel.js';
export { CodeFactorEntity } from './codes/code-factor.entity.js';
export { CodeFactorsService, CodeNotDeliveredError } from './codes/code-factors.service.js';
export type { CodeCheck, SentCode } from './codes/code-factors.service.js';
export { OneTimeCodeEntity } from './codes/one-time-code.entity.js';
export { MfaModule } from './mfa.module.js';
export { MfaService } from './mfa.service.js';
export { TotpFactorEntity } from './totp-factor.entity.js';
