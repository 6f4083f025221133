/** oidc-provider's storage contract for one model (AccessToken, Session, Grant, ...). */
export interface OidcAdapter {
  upsert(id: string, payload: OidcPayload, expiresIn: number): Promise<void>;
  find(id: string): Promise<OidcPayload | undefined>;
  findByUserCode(userCode: string): Promise<OidcPayload | undefined>;
  findByUid(uid: string): Promise<OidcPayload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

export interface OidcPayload {
  grantId?: string;
  userCode?: string;
  uid?: string;
  consumed?: number;
  [key: string]: unknown;
}

export type AdapterFactory = ((model: string) => OidcAdapter) & {
  purgeTenant(): Promise<void>;
  /** Live records of one model (e.g. Session) — for stats, not for hot paths. */
  count(model: string): Promise<number>;
};

/** Models whose records belong to a grant and die with it (revokeByGrantId). */
export const GRANTABLE_MODELS = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'ClientCredentials',
  'BackchannelAuthenticationRequest',
]);

export const epochSeconds = () => Math.floor(Date.now() / 1000);
