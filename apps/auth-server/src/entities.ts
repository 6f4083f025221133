import { ApiKeyEntity, ApiResourceEntity, ClientEntity } from '@app/clients';
import { PasswordHistoryEntity, UserActionTokenEntity, UserEntity } from '@app/identity';
import { SigningKeyEntity } from '@app/keys';
import { PasskeyEntity } from '@app/passkeys';
import { FederatedIdentityEntity, IdentityProviderEntity } from '@app/federation';
import { RoleAssignmentEntity, RoleEntity } from '@app/rbac';
import { SessionRecordEntity } from '@app/sessions';
import { CodeFactorEntity, OneTimeCodeEntity, TotpFactorEntity } from '@app/mfa';
import { AuditCheckpointEntity, AuditEventEntity } from '@app/audit';
import { TenantEntity } from '@app/tenancy';
import { WebhookDeliveryEntity, WebhookEndpointEntity } from '@app/webhooks';

/** Every TypeORM entity; the migration drift test compares exactly these to the migrations. */
export const ENTITIES = [
  TenantEntity,
  SigningKeyEntity,
  ClientEntity,
  ApiResourceEntity,
  ApiKeyEntity,
  UserEntity,
  RoleEntity,
  RoleAssignmentEntity,
  SessionRecordEntity,
  TotpFactorEntity,
  AuditEventEntity,
  AuditCheckpointEntity,
  UserActionTokenEntity,
  WebhookEndpointEntity,
  WebhookDeliveryEntity,
  PasskeyEntity,
  CodeFactorEntity,
  OneTimeCodeEntity,
  PasswordHistoryEntity,
  IdentityProviderEntity,
  FederatedIdentityEntity,
];
