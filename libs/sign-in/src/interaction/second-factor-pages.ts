import { MfaService } from '@app/mfa';
import {
  renderMfaEnrollPage,
  renderMfaPage,
  renderPasskeyOfferPage,
  renderPasswordChangePage,
  renderRecoveryCodesPage,
} from '@app/pages';
import type { TenantRuntime } from '@app/protocol';
import { effectiveSettings } from '@app/tenancy';
import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { InteractionPages } from './interaction-pages.js';
import type { Details } from './interaction-state.js';
import { SecondFactors } from './second-factors.js';

export type VerificationMode = 'totp' | 'passkey';

/** The pages after the password: the second factor (or its enrolment) and the steps before the login is handed over. */
@Injectable()
export class SecondFactorPages {
  constructor(
    private readonly pages: InteractionPages,
    private readonly mfa: MfaService,
    private readonly factors: SecondFactors,
  ) {}

  /** The verification page in the mode asked for, or the user's first factor: authenticator app, then passkey. */
  async sendMfa(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    accountId: string,
    state: { error?: string; notice?: string; mode?: VerificationMode; status?: number } = {},
  ): Promise<void> {
    const factors = await this.factors.of(runtime.tenant.id, accountId);
    const mode = state.mode === 'passkey' || !factors.totp ? 'passkey' : 'totp';
    this.pages.sendHtml(
      res,
      state.status ?? 200,
      renderMfaPage({
        ...this.pages.form(runtime, details, 'mfa'),
        mode,
        factors: {
          totp: factors.totp,
          passkey: factors.passkeys ? this.pages.passkeyCeremony(runtime, details.uid, 'authenticate') : undefined,
        },
        error: state.error,
        notice: state.notice,
      }),
    );
  }

  /** A new TOTP secret to scan, for a user who must enrol a second factor during sign-in; or a passkey instead. */
  async sendEnrollment(
    res: Response,
    runtime: TenantRuntime,
    details: Details,
    user: { id: string; username: string },
    error?: string,
    status = 200,
  ): Promise<void> {
    const enrollment = await this.mfa.startEnrollment(runtime.tenant.id, user, runtime.tenant.displayName);
    this.pages.sendHtml(
      res,
      status,
      renderMfaEnrollPage({
        ...this.pages.form(runtime, details, 'mfa'),
        qrCodeDataUrl: enrollment.qrCodeDataUrl,
        secret: enrollment.secret,
        error,
        alternatives: {
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
        hint: `At least ${policy.minLength} characters, different from your recent passwords.`,
        error,
      }),
    );
  }
}
