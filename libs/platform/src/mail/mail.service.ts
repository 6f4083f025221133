import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { DependencyHealth } from '../observability/dependency-health.js';
import { APP_CONFIG } from '../config/config.module.js';
import { healthPolicies } from '../health/health-policies.js';
import type { AppConfig } from '@app/config';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends mail through the SMTP relay in SMTP_URL. Without one, development writes each mail
 * to the log in full (so links can be followed locally); production sends nothing and
 * reports `canDeliver: false`, so pages that depend on mail (password reset) stay hidden
 * rather than promising a mail that never comes — and no token ever reaches a production log.
 */
@Injectable()
export class MailService implements OnModuleDestroy {
  private readonly logger = new Logger('mail');
  private readonly smtpUrl?: string;
  /** Built on the first send: nodemailer is loaded only by a server that sends mail. */
  private transport?: Promise<Transporter>;
  private readonly from: string;
  private readonly logInstead: boolean;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly health: DependencyHealth,
  ) {
    this.from = config.mailFrom;
    this.smtpUrl = config.smtpUrl;
    this.logInstead = !config.smtpUrl && !config.production;
    // Judged by real sends (no probe: a relay may charge or rate-limit idle connections);
    // not required — a mail relay outage must not take sign-ins out of rotation.
    if (this.smtpUrl) {
      const policy = healthPolicies(config.health).external;
      this.health.register({ name: 'mail', kind: 'smtp', required: false, policy });
    }
  }

  /** Whether a mail sent now can reach its recipient (or, in development, the log). */
  get canDeliver(): boolean {
    return !!this.smtpUrl || this.logInstead;
  }

  /** Resolves false when the mail could not be handed over; never throws and never logs content. */
  async send(mail: Mail): Promise<boolean> {
    if (this.smtpUrl) {
      const started = performance.now();
      try {
        const url = this.smtpUrl;
        this.transport ??= import('nodemailer').then((nodemailer) => nodemailer.default.createTransport(url));
        await (await this.transport).sendMail({ from: this.from, ...mail });
        this.health.report('mail', { ok: true, responseTimeMs: performance.now() - started });
        return true;
      } catch (error) {
        const message = (error as Error).message;
        this.health.report('mail', { ok: false, responseTimeMs: performance.now() - started, error: message });
        this.logger.error(`mail "${mail.subject}" not sent: ${message}`);
        return false;
      }
    }
    if (this.logInstead) {
      // Development only (SMTP_URL unset, NODE_ENV not production): the whole mail, link included.
      this.logger.log(
        `mail (SMTP_URL unset, not sent)\nFrom: ${this.from}\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}`,
      );
      return true;
    }
    this.logger.warn(`mail "${mail.subject}" not sent: SMTP_URL is not set`);
    return false;
  }

  /** Fire and forget: the caller's answer (and its timing) must not depend on the relay. */
  sendInBackground(mail: Mail): void {
    void this.send(mail);
  }

  onModuleDestroy(): void {
    void this.transport?.then(
      (transport) => transport.close(),
      () => undefined,
    );
  }
}
