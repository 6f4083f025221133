import { AuditService } from '@app/audit';
import type { TenantRuntime } from '@app/protocol';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import type { Details } from '../interaction/interaction-state.js';

type MissingGrants = { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };

/** Consent given (by the user, or implied for first-party clients) or refused, and its audit event. */
@Injectable()
export class ConsentGrants {
  constructor(
    private readonly pages: InteractionPages,
    private readonly audit: AuditService,
  ) {}

  /** Grants what the client asked for and is still missing (oidc-provider's consent contract). */
  async grantMissing(req: Request, res: Response, runtime: TenantRuntime, details: Details): Promise<void> {
    const { provider } = runtime;
    const { prompt, params, session, grantId: existingGrantId } = details;
    const grant = existingGrantId
      ? await provider.Grant.find(existingGrantId)
      : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
    if (!grant) return this.pages.sendError(res, 400, 'This sign-in request is invalid.');
    const missing = prompt.details as MissingGrants & { missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await this.record(runtime, details, req, 'granted', missing);
    const consent = existingGrantId ? {} : { grantId };
    await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
  }

  async record(
    runtime: TenantRuntime,
    details: Details,
    req: Request,
    outcome: 'granted' | 'denied',
    granted?: MissingGrants,
  ): Promise<void> {
    const accountId = details.session?.accountId;
    await this.audit.recordQuietly(runtime.tenant.id, {
      type: `consent.${outcome}`,
      outcome: outcome === 'granted' ? 'success' : 'failure',
      actor: accountId ? { type: 'user', id: accountId } : { type: 'anonymous' },
      subject: accountId,
      clientId: String(details.params.client_id),
      ip: req.ip,
      userAgent: req.get('user-agent'),
      data: granted
        ? { scopes: granted.missingOIDCScope ?? [], resources: granted.missingResourceScopes ?? {} }
        : { requested: String(details.params.scope ?? '') },
    });
  }
}
