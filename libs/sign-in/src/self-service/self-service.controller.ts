import { APP_CONFIG, type AppConfig, MASTER_KEY, Public } from '@app/platform';
import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type TenantRuntime, TenantProviderRegistry } from '@app/protocol';
import {
  renderErrorPage,
  renderForgotPasswordPage,
  renderNoticePage,
  renderResetPasswordPage,
  renderVerifyEmailPage,
  stylesheetHref,
} from '@app/pages';
import { FormCsrf } from './form-csrf.js';
import { INVALID_LINK, type Refusal, type Requester, SelfServiceService } from './self-service.service.js';
import { FORM_EXPIRED } from '../interaction/interaction-state.js';

const INTERACTION_UID = /^[A-Za-z0-9_-]{1,64}$/;

function field(source: unknown, name: string, max = 1024): string {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/** Forgot / reset password and email verification: pages outside a sign-in, reached from mails. */
@ApiExcludeController()
@Public()
@Controller('t/:tenant')
export class SelfServiceController {
  private readonly csrf: FormCsrf;
  private readonly css: string;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(MASTER_KEY) masterKey: Buffer,
    private readonly registry: TenantProviderRegistry,
    private readonly selfService: SelfServiceService,
  ) {
    this.csrf = new FormCsrf(masterKey, config.publicUrl.startsWith('https:'));
    this.css = stylesheetHref(config.publicUrl);
  }

  @Get('password/forgot')
  async forgotForm(@Param('tenant') slug: string, @Req() req: Request, @Res() res: Response) {
    const runtime = await this.resetRuntime(slug, res);
    if (runtime) this.sendForgot(req, res, runtime, { uid: field(req.query, 'uid', 64) });
  }

  @Post('password/forgot')
  async forgot(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    const runtime = await this.resetRuntime(slug, res);
    if (!runtime) return;
    if (!this.csrf.isValid(req, runtime.tenant.id, field(body, 'csrf'))) return this.sendError(res, 403, FORM_EXPIRED);
    const login = field(body, 'login', 320);
    const uid = field(body, 'uid', 64);
    if (!login.trim())
      return this.sendForgot(req, res, runtime, { uid, error: 'Please enter your username or email.' }, 400);
    const refusal = await this.selfService.requestPasswordReset(runtime, login, this.requester(req));
    if (refusal)
      return this.sendForgot(req, res, runtime, { uid, login, error: refusal.message }, refusal.status, refusal);
    this.sendHtml(
      res,
      200,
      renderNoticePage({
        tenantName: runtime.tenant.displayName,
        stylesheetHref: this.css,
        title: 'Check your email',
        message:
          'If the username or email you entered belongs to an account, we have sent a link to choose a new password. It works for 30 minutes.',
        loginHref: this.loginHref(runtime, uid),
      }),
    );
  }

  @Get('password/reset')
  async resetForm(@Param('tenant') slug: string, @Req() req: Request, @Res() res: Response) {
    const runtime = await this.resetRuntime(slug, res);
    if (!runtime) return;
    const token = field(req.query, 'token', 64);
    if (!(await this.selfService.resetLinkUsable(runtime, token))) return this.sendError(res, 400, INVALID_LINK);
    this.sendReset(req, res, runtime, token);
  }

  @Post('password/reset')
  async reset(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    const runtime = await this.resetRuntime(slug, res);
    if (!runtime) return;
    if (!this.csrf.isValid(req, runtime.tenant.id, field(body, 'csrf'))) return this.sendError(res, 403, FORM_EXPIRED);
    const token = field(body, 'token', 64);
    const refusal = await this.selfService.resetPassword(runtime, token, field(body, 'password'), this.requester(req));
    if (refusal?.message === INVALID_LINK) return this.sendError(res, refusal.status, refusal.message);
    if (refusal) return this.sendReset(req, res, runtime, token, refusal.message, refusal.status);
    this.sendNotice(
      res,
      runtime,
      'Password changed',
      'Your password has been changed and you were signed out everywhere. Return to the application and sign in with your new password.',
    );
  }

  @Get('email/verify')
  async verifyForm(@Param('tenant') slug: string, @Req() req: Request, @Res() res: Response) {
    const runtime = await this.runtime(slug, res);
    if (!runtime) return;
    this.sendHtml(
      res,
      200,
      renderVerifyEmailPage({
        tenantName: runtime.tenant.displayName,
        stylesheetHref: this.css,
        action: `${this.base(runtime)}/email/verify`,
        csrfToken: this.csrfFor(req, res, runtime),
        token: field(req.query, 'token', 64),
      }),
    );
  }

  @Post('email/verify')
  async verify(@Param('tenant') slug: string, @Body() body: unknown, @Req() req: Request, @Res() res: Response) {
    const runtime = await this.runtime(slug, res);
    if (!runtime) return;
    if (!this.csrf.isValid(req, runtime.tenant.id, field(body, 'csrf'))) return this.sendError(res, 403, FORM_EXPIRED);
    if (!(await this.selfService.verifyEmail(runtime, field(body, 'token', 64), this.requester(req)))) {
      return this.sendError(res, 400, INVALID_LINK);
    }
    this.sendNotice(
      res,
      runtime,
      'Email verified',
      'Thank you: your email address is verified. You can close this window.',
    );
  }

  private async runtime(slug: string, res: Response): Promise<TenantRuntime | null> {
    const runtime = await this.registry.get(slug);
    if (!runtime) this.sendError(res, 404, 'This page does not exist.');
    return runtime;
  }

  /** The reset pages exist only where a mail can actually be delivered. */
  private async resetRuntime(slug: string, res: Response): Promise<TenantRuntime | null> {
    if (!this.selfService.passwordResetAvailable) {
      this.sendError(res, 404, 'This page does not exist.');
      return null;
    }
    return this.runtime(slug, res);
  }

  private requester(req: Request): Requester {
    return { ip: req.ip, userAgent: req.get('user-agent') };
  }

  private base(runtime: TenantRuntime): string {
    return new URL(runtime.issuer).pathname;
  }

  private csrfFor(req: Request, res: Response, runtime: TenantRuntime): string {
    return this.csrf.tokenFor(req, res, runtime.tenant.id, this.base(runtime));
  }

  /** Back to the sign-in the user came from (its page re-renders from the interaction cookie). */
  private loginHref(runtime: TenantRuntime, uid: string): string | undefined {
    return INTERACTION_UID.test(uid) ? `${this.base(runtime)}/interaction/${uid}` : undefined;
  }

  private sendForgot(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    state: { uid: string; login?: string; error?: string },
    status = 200,
    refusal?: Refusal,
  ): void {
    if (refusal?.retryAfterSeconds) res.set('retry-after', String(refusal.retryAfterSeconds));
    const uid = INTERACTION_UID.test(state.uid) ? state.uid : '';
    this.sendHtml(
      res,
      status,
      renderForgotPasswordPage({
        tenantName: runtime.tenant.displayName,
        stylesheetHref: this.css,
        action: `${this.base(runtime)}/password/forgot`,
        csrfToken: this.csrfFor(req, res, runtime),
        login: state.login,
        error: state.error,
        uid: uid || undefined,
        loginHref: this.loginHref(runtime, uid),
      }),
    );
  }

  private sendReset(
    req: Request,
    res: Response,
    runtime: TenantRuntime,
    token: string,
    error?: string,
    status = 200,
  ): void {
    this.sendHtml(
      res,
      status,
      renderResetPasswordPage({
        tenantName: runtime.tenant.displayName,
        stylesheetHref: this.css,
        action: `${this.base(runtime)}/password/reset`,
        csrfToken: this.csrfFor(req, res, runtime),
        token,
        error,
      }),
    );
  }

  private sendNotice(res: Response, runtime: TenantRuntime, title: string, message: string): void {
    this.sendHtml(
      res,
      200,
      renderNoticePage({ tenantName: runtime.tenant.displayName, stylesheetHref: this.css, title, message }),
    );
  }

  private sendError(res: Response, status: number, message: string): void {
    this.sendHtml(res, status, renderErrorPage({ title: 'Account help', message, stylesheetHref: this.css }));
  }

  private sendHtml(res: Response, status: number, html: string): void {
    res.status(status).type('html').set('cache-control', 'no-store').send(html);
  }
}
