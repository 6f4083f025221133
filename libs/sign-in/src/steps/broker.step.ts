import { AuditService } from '@app/audit';
import {
  BrokerError,
  FederatedAccountsService,
  type IdentityProviderEntity,
  IdentityProvidersService,
  UpstreamClient,
} from '@app/federation';
import type { UserEntity } from '@app/identity';
import { Metrics } from '@app/platform';
import type { TenantRuntime } from '@app/protocol';
import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import type { Details } from '../interaction/interaction-state.js';
import { SignInCompletion } from './sign-in-completion.service.js';

/** Whatever went wrong upstream, the user learns only this (the audit trail has the reason). */
export const UPSTREAM_FAILED = 'Signing in with that provider did not work. Please try again or use another way.';

/**
 * Signing in through an upstream provider (identity brokering): the login form's provider
 * button leaves for the upstream, and its answer — back through the broker callback, inside
 * this sign-in's interaction — becomes one of our users, who continues like any other.
 */
@Injectable()
export class BrokerStep {
  private readonly logger = new Logger('Broker');

  constructor(
    private readonly pages: InteractionPages,
    private readonly completion: SignInCompletion,
    private readonly providers: IdentityProvidersService,
    private readonly upstream: UpstreamClient,
    private readonly accounts: FederatedAccountsService,
    private readonly audit: AuditService,
    private readonly metrics: Metrics,
  ) {}

  static callbackUri(runtime: TenantRuntime, alias: string): string {
    return `${runtime.issuer}/broker/${alias}/callback`;
  }

  /** The provider button: off to the upstream with PKCE, state and nonce. */
  async start(req: Request, res: Response, runtime: TenantRuntime, details: Details, alias: string): Promise<void> {
    const provider = await this.providers.find(runtime.tenant.id, alias);
    if (!provider?.enabled)
      return this.refuse(req, res, runtime, details, alias, new BrokerError('provider_unavailable'));
    let url: URL;
    try {
      url = await this.upstream.authorizationUrl(provider, details.uid, BrokerStep.callbackUri(runtime, alias));
    } catch (error) {
      return this.refuse(req, res, runtime, details, alias, asBrokerError(error), 503);
    }
    res.redirect(303, url.href);
  }

  /** The upstream's answer, now inside the interaction whose cookie this browser holds. */
  async finish(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    alias: string,
    query: URLSearchParams,
  ): Promise<void> {
    const provider = await this.providers.find(runtime.tenant.id, alias);
    if (!provider?.enabled)
      return this.refuse(req, res, runtime, details, alias, new BrokerError('provider_unavailable'));
    let user: UserEntity;
    try {
      const profile = await this.upstream.complete(provider, details.uid, query);
      const resolved = await this.accounts.resolve(provider, profile);
      user = resolved.user;
      const via = resolved.via;
      await this.audit.recordQuietly(runtime.tenant.id, {
        type:
          via === 'link' ? 'federation.signed_in' : via === 'created' ? 'federation.user_created' : 'federation.linked',
        outcome: 'success',
        actor: { type: 'user', id: user.id },
        subject: user.id,
        clientId: String(details.params.client_id),
        ip: req.ip,
        userAgent: req.get('user-agent'),
        data: { provider: provider.alias, providerType: provider.type, via },
      });
    } catch (error) {
      const failure = asBrokerError(error);
      const status = failure.reason === 'timeout' ? 503 : 401;
      return this.refuse(req, res, runtime, details, alias, failure, status, provider);
    }
    await this.completion.firstFactorDone(req, res, runtime, details, user, 'fed');
  }

  /** The login page again with the generic message; the real reason goes to the audit trail. */
  async refuse(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    alias: string,
    error: BrokerError,
    status = 400,
    provider?: IdentityProviderEntity,
  ): Promise<void> {
    if (error.reason === 'upstream' || error.reason === 'timeout')
      this.logger.warn(`upstream ${alias} of tenant ${runtime.tenant.slug}: ${error.reason} (${error.detail ?? ''})`);
    await this.audit.recordQuietly(runtime.tenant.id, {
      type: 'federation.failure',
      outcome: 'failure',
      actor: { type: 'anonymous' },
      clientId: String(details.params.client_id),
      ip: req.ip,
      userAgent: req.get('user-agent'),
      data: { provider: alias, providerType: provider?.type, reason: error.reason },
    });
    this.metrics.logins.inc({ outcome: 'failure' });
    const clientName = await this.pages.clientName(runtime, details);
    return this.pages.sendLogin(res, runtime, details, clientName, { error: UPSTREAM_FAILED }, status);
  }
}

export function asBrokerError(error: unknown): BrokerError {
  if (error instanceof BrokerError) return error;
  return new BrokerError('upstream', error instanceof Error ? error.message : String(error));
}
