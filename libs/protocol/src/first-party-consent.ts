import type { KoaContextWithOIDC } from 'oidc-provider';
import type { TokenAuditSink } from './token-audit.js';

type Grant = NonNullable<KoaContextWithOIDC['oidc']['entities']['Grant']>;

/** What the consent prompt would ask for (oidc-provider's op_scopes_missing, op_claims_missing, rs_scopes_missing). */
function missingFrom(ctx: KoaContextWithOIDC, grant: Grant | undefined) {
  const { oidc } = ctx;
  const encounteredScopes = new Set(grant?.getOIDCScopeEncountered().split(' ') ?? []);
  const scopes = [...oidc.requestParamOIDCScopes].filter((scope) => !encounteredScopes.has(scope));
  const encounteredClaims = new Set(grant?.getOIDCClaimsEncountered() ?? []);
  const claims = [...oidc.requestParamClaims].filter(
    (claim) => !encounteredClaims.has(claim) && !['sub', 'sid', 'auth_time', 'acr', 'amr', 'iss'].includes(claim),
  );
  const resources: Record<string, string[]> = {};
  for (const [indicator, resourceServer] of Object.entries(oidc.resourceServers ?? {})) {
    const encountered = new Set(grant?.getResourceScopeEncountered(indicator).split(' ') ?? []);
    const wanted = [...oidc.requestParamScopes].filter((s) => resourceServer.scopes.has(s) && !encountered.has(s));
    if (wanted.length) resources[indicator] = wanted;
  }
  const empty = !scopes.length && !claims.length && !Object.keys(resources).length;
  return empty ? undefined : { scopes, claims, resources };
}

/**
 * oidc-provider's `loadExistingGrant`, with consent implied for first-party clients: the grant
 * is extended here, before the consent prompt is evaluated, so a first-party sign-in goes from
 * the login form straight back to the client — no interaction round trip (two redirects and an
 * interaction read and write) to approve what nobody is asked. Third-party and native clients,
 * and `prompt=consent`, still reach the consent step. The implied consent is audited as
 * `consent.granted` (batched: it grants nothing the client's registration did not allow).
 */
export function loadGrantWithImpliedConsent(audit: TokenAuditSink) {
  return async function loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
    const { oidc } = ctx;
    const client = oidc.client!;
    const grantId = oidc.result?.consent?.grantId || oidc.session!.grantIdFor(client.clientId);
    const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
    const accountId = oidc.session!.accountId;
    const firstParty = (client as unknown as { first_party?: boolean }).first_party === true;
    if (!accountId || !firstParty || client.applicationType === 'native') return existing;
    const missing = missingFrom(ctx, existing);
    if (!missing) return existing;
    const grant = existing ?? new oidc.provider.Grant({ accountId, clientId: client.clientId });
    if (missing.scopes.length) grant.addOIDCScope(missing.scopes.join(' '));
    if (missing.claims.length) grant.addOIDCClaims(missing.claims);
    for (const [indicator, scopes] of Object.entries(missing.resources)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    await grant.save();
    audit.batched({
      type: 'consent.granted',
      clientId: client.clientId,
      accountId,
      ip: ctx.ip,
      userAgent: ctx.get('user-agent') || undefined,
      data: { scopes: missing.scopes, resources: missing.resources, implied: true },
    });
    return grant;
  };
}
