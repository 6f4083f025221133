import { InitialSchema1764000000000 } from './1764000000000-initial-schema.js';
import { Roles1764100000000 } from './1764100000000-roles.js';
import { Sessions1764200000000 } from './1764200000000-sessions.js';
import { MfaTotp1764300000000 } from './1764300000000-mfa-totp.js';
import { AuditEvents1764400000000 } from './1764400000000-audit-events.js';
import { AuditCheckpoints1764500000000 } from './1764500000000-audit-checkpoints.js';
import { UserActionTokens1764600000000 } from './1764600000000-user-action-tokens.js';
import { Webhooks1764700000000 } from './1764700000000-webhooks.js';
import { ApiKeys1765300000000 } from './1765300000000-api-keys.js';
import { Passkeys1765200000000 } from './1765200000000-passkeys.js';
import { CodeFactors1765210000000 } from './1765210000000-code-factors.js';
import { PasswordHistory1765220000000 } from './1765220000000-password-history.js';
import { IdentityProviders1765400000000 } from './1765400000000-identity-providers.js';
import { WebhookEndpointHealth1765410000000 } from './1765410000000-webhook-endpoint-health.js';
import { UserProfile1765420000000 } from './1765420000000-user-profile.js';
import { HousekeepingIndexes1765430000000 } from './1765430000000-housekeeping-indexes.js';

/** In order; append only. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  Roles1764100000000,
  Sessions1764200000000,
  MfaTotp1764300000000,
  AuditEvents1764400000000,
  AuditCheckpoints1764500000000,
  UserActionTokens1764600000000,
  Webhooks1764700000000,
  ApiKeys1765300000000,
  Passkeys1765200000000,
  CodeFactors1765210000000,
  PasswordHistory1765220000000,
  IdentityProviders1765400000000,
  WebhookEndpointHealth1765410000000,
  UserProfile1765420000000,
  HousekeepingIndexes1765430000000,
];
