import { UsersService } from '@app/identity';
import { CodeFactorsService, type CodeRecipient, MfaService } from '@app/mfa';
import {
  renderMfaEnrollPage,
  renderMfaPage,
  renderPasskeyOfferPage,
  renderPasswordChangePage,
  renderRecoveryCodesPage,
} from '@app/pages';
import { DomainError } from '@app/platform';
import type { TenantRuntime } from '@app/protocol';
import { effectiveSettings } from '@app/tenancy';
import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { InteractionPages } from './interaction-pages.js';
import type { Details } from './interaction-state.js';
import { EMAIL_CODES, SecondFactors } from './second-factors.js';

export type VerificationMode = 'totp' | 'email' | 'passkey';

interface PageState {
  error?: string;
  notice?: string;
  mode?: VerificationMode;
  status?: number;
  /** The code form confirms an email enrolment rather than a sign-in. */
  enrolling?: boolean;
}

/** The pages after the password: the second factor (or its enrolment) and the steps before the login is handed over. */
@Injectable()
export class SecondFactorPages {
  constructor(
    private readonly pages: InteractionPages,
    private readonly users: UsersService,
    private readonly mfa: MfaService,
    private readonly codes: CodeFactorsService,
    private readonly factors: SecondFactors,
  ) {}

  /** The verification page in the mode asked for, or the user's first factor: app, then email, then passkey. */
  async sendMfa(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    accountId: string,
    state: PageState = {},
  ): Promise<void> {
    const user = await this.users.get(runtime.tenant.id, accountId);
    const factors = await this.factors.of(runtime.tenant.id, user);
    const emailTo = state.enrolling ? this.enrolmentAddress(user) : factors.email;
    const modes: VerificationMode[] = [
      ...(factors.totp ? ['totp' as const] : []),
      ...(emailTo ? ['email' as const] : []),
      ...(factors.passkeys ? ['passkey' as const] : []),
    ];
    const mode = state.mode && modes.includes(state.mode) ? state.mode : (modes[0] ?? 'passkey');
    this.pages.sendHtml(
      res,
      state.status ?? 200,
      renderMfaPage({
        ...this.pages.form(runtime, details, 'mfa'),
        mode,
        factors: {
          totp: factors.totp || !!state.enrolling,
          email: emailTo ? { to: emailTo, send: this.pages.actionFor(runtime, details.uid, 'mfa/email') } : undefined,
          passkey: factors.passkeys ? this.pages.passkeyCeremony(runtime, details.uid, 'authenticate') : undefined,
        },
        totpHref: this.pages.actionFor(runtime, details.uid, '').replace(/\/$/, ''),
        error: state.error,
        notice: state.notice,
      }),
    );
  }

  /**
   * Sends a code by email (a sign-in code, or the first code of an enrolment) and shows the
   * code form; a refusal (too soon, relay down) shows the same form with why.
   */
  async sendEmailCode(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    user: CodeRecipient,
    enrolling: boolean,
  ): Promise<void> {
    try {
      const sent = enrolling
        ? await this.codes.startEnrollment(runtime.tenant, user, EMAIL_CODES)
        : await this.codes.sendCode(runtime.tenant, user, EMAIL_CODES, 'sign_in');
      return this.sendMfa(res, runtime, details, user.id, {
        mode: 'email',
        enrolling,
        notice: `We sent a code to ${sent.to}.`,
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      if ('retryAfterSeconds' in error) res.set('retry-after', String(error.retryAfterSeconds));
      const message =
        error.status === 429
          ? 'A code was sent a moment ago. Please wait a little before asking for another one.'
          : error.status === 503
            ? 'We could not send the code right now. Please try again in a moment.'
            : 'Codes cannot be sent to this account.';
      return this.sendMfa(res, runtime, details, user.id, {
        mode: 'email',
        enrolling,
        error: message,
        status: error.status,
      });
    }
  }

  /** A new TOTP secret to scan, for a user who must enrol a second factor during sign-in; or email codes, or a passkey. */
  async sendEnrollment(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    user: { id: string; username: string; email?: string | null; emailVerified?: boolean },
    error?: string,
    status = 200,
  ): Promise<void> {
    const enrollment = await this.mfa.startEnrollment(runtime.tenant.id, user, runtime.tenant.displayName);
    const emailTo = this.enrolmentAddress(user);
    this.pages.sendHtml(
      res,
      status,
      renderMfaEnrollPage({
        ...this.pages.form(runtime, details, 'mfa'),
        qrCodeDataUrl: enrollment.qrCodeDataUrl,
        secret: enrollment.secret,
        error,
        alternatives: {
          email: emailTo ? { to: emailTo, send: this.pages.actionFor(runtime, details.uid, 'mfa/email') } : undefined,
          passkey: this.pages.passkeysAvailable
            ? this.pages.passkeyCeremony(runtime, details.uid, 'register')
            : undefined,
        },
      }),
    );
  }

  sendRecoveryCodes(res: Response, runtime: TenantRuntime, details: Details, codes: string[]): void {
    this.pages.sendHtml(res, 200, renderRecoveryCodesPage({ ...this.pages.form(runtime, details, 'mfa/done'), codes }));
  }

  sendPasskeyOffer(res: Response, runtime: TenantRuntime, details: Details, error?: string, status = 200): void {
    this.pages.sendHtml(
      res,
      status,
      renderPasskeyOfferPage({
        ...this.pages.form(runtime, details, 'passkey/offer'),
        passkey: this.pages.passkeyCeremony(runtime, details.uid, 'register'),
        error,
      }),
    );
  }

  sendPasswordChange(res: Response, runtime: TenantRuntime, details: Details, error?: string, status = 200): void {
    const policy = effectiveSettings(runtime.tenant.settings).passwordPolicy;
    this.pages.sendHtml(
      res,
      status,
      renderPasswordChangePage({
        ...this.pages.form(runtime, details, 'password'),
        hint: `At least ${policy.minLength} characters${policy.historyCount ? ', none of your recent passwords' : ''}.`,
        error,
      }),
    );
  }

  /** Email codes can be enrolled where the address is verified and mail can leave. */
  private enrolmentAddress(user: CodeRecipient): string | null {
    return this.codes.enrollableAddress(EMAIL_CODES, user);
  }
}
