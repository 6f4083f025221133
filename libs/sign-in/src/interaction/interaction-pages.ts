import { IdentityProvidersService } from '@app/federation';
import { PasskeysService } from '@app/passkeys';
import {
  type PasskeyCeremony,
  passkeyScriptHrefs,
  renderConsentPage,
  renderErrorPage,
  renderLoginPage,
  renderRegisterPage,
  stylesheetHref,
} from '@app/pages';
import { APP_CONFIG, type AppConfig, MASTER_KEY } from '@app/platform';
import { type TenantRuntime, TenantProviderRegistry } from '@app/protocol';
import { effectiveSettings } from '@app/tenancy';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SelfServiceService } from '../self-service/self-service.service.js';
import { InteractionCsrf } from './interaction-csrf.js';
import { type Details, field } from './interaction-state.js';

/**
 * The running sign-in as the step controllers see it: finds the tenant's interaction,
 * checks each form's CSRF field, and renders the sign-in's first pages (login, registration,
 * consent, errors) — one form per step; SecondFactorPages renders the ones after the password.
 */
@Injectable()
export class InteractionPages {
  private readonly csrf: InteractionCsrf;
  private readonly css: string;
  readonly scriptHrefs: string[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(MASTER_KEY) masterKey: Buffer,
    private readonly registry: TenantProviderRegistry,
    private readonly passkeys: PasskeysService,
    private readonly selfService: SelfServiceService,
    private readonly identityProviders: IdentityProvidersService,
  ) {
    this.csrf = new InteractionCsrf(masterKey);
    this.css = stylesheetHref(config.publicUrl);
    this.scriptHrefs = passkeyScriptHrefs(config.publicUrl);
  }

  /** Passkeys work where PUBLIC_URL names a host (browsers refuse an IP address as relying party). */
  get passkeysAvailable(): boolean {
    return this.passkeys.relyingParty.available;
  }

  /** Where a passkey button of this sign-in gets its options and posts the answer. */
  passkeyCeremony(runtime: TenantRuntime, uid: string, kind: 'authenticate' | 'register'): PasskeyCeremony {
    return kind === 'authenticate'
      ? { options: this.actionFor(runtime, uid, 'passkey/options'), action: this.actionFor(runtime, uid, 'passkey') }
      : {
          options: this.actionFor(runtime, uid, 'passkey/registration-options'),
          action: this.actionFor(runtime, uid, 'passkey/register'),
        };
  }

  /** Runs one step with the tenant's interaction, or answers the page of why there is none. */
  async withInteraction(
    slug: string,
    req: Request,
    res: Response,
    step: (runtime: TenantRuntime, details: Details) => Promise<void>,
  ): Promise<void> {
    const runtime = await this.registry.get(slug);
    if (!runtime) return this.sendError(res, 404, 'This sign-in page does not exist.');
    let details: Details;
    try {
      details = await runtime.provider.interactionDetails(req, res);
    } catch {
      return this.sendError(
        res,
        400,
        'This sign-in request has expired or is invalid. Please start again from the application.',
      );
    }
    if (details.uid !== req.params.uid) return this.sendError(res, 400, 'This sign-in request is invalid.');
    await step(runtime, details);
  }

  csrfValid(runtime: TenantRuntime, details: Details, body: unknown): boolean {
    return this.csrf.isValid(runtime.tenant.id, details.uid, field(body, 'csrf'));
  }

  async clientName(runtime: TenantRuntime, details: Details): Promise<string> {
    const client = await runtime.provider.Client.find(String(details.params.client_id));
    return client?.clientName ?? String(details.params.client_id);
  }

  async sendLogin(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    clientName: string,
    state: { username?: string; error?: string } = {},
    status = 200,
  ): Promise<void> {
    const providers = await this.identityProviders.listEnabled(runtime.tenant.id);
    this.sendHtml(
      res,
      status,
      renderLoginPage({
        ...this.form(runtime, details, 'login'),
        clientName,
        forgotHref: this.selfService.passwordResetAvailable
          ? `${new URL(runtime.issuer).pathname}/password/forgot?uid=${encodeURIComponent(details.uid)}`
          : undefined,
        registerHref: effectiveSettings(runtime.tenant.settings).selfRegistration
          ? this.actionFor(runtime, details.uid, 'register')
          : undefined,
        passkey: this.passkeysAvailable ? this.passkeyCeremony(runtime, details.uid, 'authenticate') : undefined,
        scriptHrefs: this.scriptHrefs,
        providers: providers.map(({ alias, displayName }) => ({ alias, displayName })),
        ...state,
      }),
    );
  }

  sendRegister(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    state: { username?: string; email?: string; error?: string } = {},
    status = 200,
  ): void {
    const policy = effectiveSettings(runtime.tenant.settings).passwordPolicy;
    this.sendHtml(
      res,
      status,
      renderRegisterPage({
        ...this.form(runtime, details, 'register'),
        loginHref: `${new URL(runtime.issuer).pathname}/interaction/${details.uid}`,
        hint: `At least ${policy.minLength} characters.`,
        username: state.username,
        email: state.email,
        error: state.error,
      }),
    );
  }

  sendConsent(res: Response, runtime: TenantRuntime, details: Details, clientName: string): void {
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    this.sendHtml(
      res,
      200,
      renderConsentPage({
        ...this.form(runtime, details, 'consent'),
        clientName,
        scopes: missing.missingOIDCScope ?? [],
        resources: Object.entries(missing.missingResourceScopes ?? {}).map(([identifier, scopes]) => ({
          identifier,
          scopes,
        })),
      }),
    );
  }

  sendError(res: Response, status: number, message: string): void {
    this.sendHtml(res, status, renderErrorPage({ title: 'Sign-in problem', message, stylesheetHref: this.css }));
  }

  /** What every step's form carries: where it posts, its CSRF token, the tenant's name, the assets. */
  form(runtime: TenantRuntime, details: Details, step: string) {
    return {
      tenantName: runtime.tenant.displayName,
      action: this.actionFor(runtime, details.uid, step),
      csrfToken: this.csrf.tokenFor(runtime.tenant.id, details.uid),
      stylesheetHref: this.css,
      scriptHrefs: this.scriptHrefs,
    };
  }

  actionFor(runtime: TenantRuntime, uid: string, step: string): string {
    return `${new URL(runtime.issuer).pathname}/interaction/${uid}/${step}`;
  }

  sendHtml(res: Response, status: number, html: string): void {
    res.status(status).type('html').set('cache-control', 'no-store').send(html);
  }
}
