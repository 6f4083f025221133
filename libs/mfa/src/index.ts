export { MfaModule } from './mfa.module.js';
export { MfaService } from './mfa.service.js';
export { TotpFactorEntity } from './totp-factor.entity.js';
