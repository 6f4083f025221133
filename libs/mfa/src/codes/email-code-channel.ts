import { composeMail, MailService } from '@app/platform';
import { Injectable } from '@nestjs/common';
import type { CodeChannel, CodeMessage, CodeRecipient } from './code-channel.js';

const WHY: Record<CodeMessage['purpose'], string> = {
  sign_in: 'to finish signing in',
  enroll: 'to turn on sign-in codes by email',
  remove: 'to turn off sign-in codes by email',
};

/** Codes by mail, to the account's verified address only, through the server's mail relay. */
@Injectable()
export class EmailCodeChannel implements CodeChannel {
  readonly name = 'email';

  constructor(private readonly mail: MailService) {}

  get available(): boolean {
    return this.mail.canDeliver;
  }

  destination(user: CodeRecipient): string | null {
    return user.email && user.emailVerified ? user.email : null;
  }

  mask(destination: string): string {
    const at = destination.lastIndexOf('@');
    const local = destination.slice(0, at);
    return `${local.slice(0, Math.min(2, Math.max(1, local.length - 1)))}•••${destination.slice(at)}`;
  }

  deliver(message: CodeMessage): Promise<boolean> {
    const content = composeMail(`Your ${message.tenantName} verification code`, [
      `Hello ${message.username},`,
      `your code ${WHY[message.purpose]} at ${message.tenantName} is:`,
      message.code,
      `It works once, within ${message.ttlMinutes} minutes. Never give it to anyone: ${message.tenantName} will never ask you for it.`,
      `If you did not ask for this code, someone may know your password: change it.`,
    ]);
    return this.mail.send({ to: message.to, ...content });
  }
}
