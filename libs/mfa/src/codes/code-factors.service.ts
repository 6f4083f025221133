import {
  ConflictError,
  constantTimeEqual,
  DomainError,
  FAILURE_RULES,
  MASTER_KEY,
  NotFoundError,
  SHARED_STATE,
  type SharedState,
  TooManyRequestsError,
  ValidationError,
} from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { createHmac, hkdfSync, randomInt, randomUUID } from 'node:crypto';
import { CODE_CHANNELS, type CodeChannel, type CodePurpose, type CodeRecipient } from './code-channel.js';
import { OneTimeCodesRepository } from './one-time-codes.repository.js';

export const CODE_TTL_SECONDS = 600;
/** Wrong tries of one code before it stops working (the answer is then 429). */
export const CODE_MAX_ATTEMPTS = 5;

export type CodeCheck = 'ok' | 'invalid' | 'exhausted';

/** Where a code went, as the user may be told. */
export interface SentCode {
  channel: string;
  to: string;
  expiresInSeconds: number;
}

/** The relay refused or is down: the user may try again later (503, never a 500). */
export class CodeNotDeliveredError extends DomainError {
  constructor() {
    super('unavailable', 503, 'the code could not be sent right now; please try again in a moment');
  }
}

/**
 * Second factors by one-time code (6 digits, single use, 10 minutes, 5 tries) over a
 * CodeChannel — email today. Enrolment proves the destination works (a first code);
 * sending is limited per user (one code per 30 s, five per hour) so a form cannot be used
 * to flood someone's inbox.
 */
@Injectable()
export class CodeFactorsService {
  private readonly key: Buffer;
  private readonly channels: Map<string, CodeChannel>;

  constructor(
    private readonly repo: OneTimeCodesRepository,
    @Inject(CODE_CHANNELS) channels: CodeChannel[],
    @Inject(SHARED_STATE) private readonly state: SharedState,
    @Inject(MASTER_KEY) masterKey: Buffer,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'one-time-codes', 32));
    this.channels = new Map(channels.map((c) => [c.name, c]));
  }

  private channel(name: string): CodeChannel {
    const channel = this.channels.get(name);
    if (!channel) throw new NotFoundError(`${name} codes`);
    return channel;
  }

  /** The channels this user can receive sign-in codes on right now, with their masked destination. */
  async usable(tenantId: string, user: CodeRecipient): Promise<{ channel: string; to: string }[]> {
    const active = await this.repo.listActive(tenantId, user.id);
    return active.flatMap((factor) => {
      const channel = this.channels.get(factor.channel);
      const destination = channel?.available ? channel.destination(user) : null;
      return channel && destination ? [{ channel: channel.name, to: channel.mask(destination) }] : [];
    });
  }

  /** Where this user's codes would go if they turned the channel on (masked), or null when they cannot. */
  enrollableAddress(name: string, user: CodeRecipient): string | null {
    const channel = this.channels.get(name);
    const destination = channel?.available ? channel.destination(user) : null;
    return channel && destination ? channel.mask(destination) : null;
  }

  async status(tenantId: string, user: CodeRecipient, name: string): Promise<{ active: boolean; to: string | null }> {
    const channel = this.channel(name);
    const factor = await this.repo.findFactor(tenantId, user.id, name);
    const destination = channel.destination(user);
    return { active: !!factor?.active, to: destination ? channel.mask(destination) : null };
  }

  /** Step 1 of enrolment: a code to the user's (verified) destination; nothing changes at sign-in yet. */
  async startEnrollment(tenant: { id: string; displayName: string }, user: CodeRecipient, name: string) {
    const factor = await this.repo.findFactor(tenant.id, user.id, name);
    if (factor?.active) throw new ConflictError(`${name} codes are already on; turn them off first`);
    this.destinationOf(this.channel(name), user);
    await this.repo.startFactor(tenant.id, user.id, name);
    return this.send(tenant, user, name, 'enroll');
  }

  /** Step 2: the code arrived, so the destination works; the factor is on from now. */
  async confirmEnrollment(tenantId: string, userId: string, name: string, code: string): Promise<CodeCheck> {
    const factor = await this.repo.findFactor(tenantId, userId, name);
    if (!factor || factor.active) return 'invalid';
    const check = await this.check(tenantId, userId, name, 'enroll', code);
    if (check === 'ok') await this.repo.activateFactor(tenantId, userId, name);
    return check;
  }

  /** A code for an active factor: to finish a sign-in, or to confirm turning the factor off. */
  async sendCode(
    tenant: { id: string; displayName: string },
    user: CodeRecipient,
    name: string,
    purpose: 'sign_in' | 'remove',
  ): Promise<SentCode> {
    const factor = await this.repo.findFactor(tenant.id, user.id, name);
    if (!factor?.active) throw new NotFoundError(`${name} codes`);
    return this.send(tenant, user, name, purpose);
  }

  async verifySignIn(tenantId: string, userId: string, name: string, code: string): Promise<CodeCheck> {
    const factor = await this.repo.findFactor(tenantId, userId, name);
    if (!factor?.active) return 'invalid';
    const check = await this.check(tenantId, userId, name, 'sign_in', code);
    if (check === 'ok') await this.repo.touchFactor(tenantId, userId, name);
    return check;
  }

  /** Turning the factor off needs a code it delivered (a stolen access token alone cannot). */
  async remove(tenantId: string, userId: string, name: string, code: string): Promise<CodeCheck> {
    const factor = await this.repo.findFactor(tenantId, userId, name);
    if (!factor?.active) throw new NotFoundError(`${name} codes`);
    const check = await this.check(tenantId, userId, name, 'remove', code);
    if (check === 'ok') await this.repo.deleteFactors(tenantId, userId, name);
    return check;
  }

  /** Admin reset: every code factor of the user goes. */
  async reset(tenantId: string, userId: string): Promise<void> {
    await this.repo.deleteFactors(tenantId, userId);
  }

  private destinationOf(channel: CodeChannel, user: CodeRecipient): string {
    if (!channel.available) throw new ValidationError(`${channel.name} codes cannot be delivered on this server`);
    const destination = channel.destination(user);
    if (!destination) throw new ValidationError(`a verified ${channel.name} address is required`);
    return destination;
  }

  private async send(
    tenant: { id: string; displayName: string },
    user: CodeRecipient,
    name: string,
    purpose: CodePurpose,
  ): Promise<SentCode> {
    const channel = this.channel(name);
    const destination = this.destinationOf(channel, user);
    const limit = await this.state.failures.reserve(tenant.id, [
      [`code-send:${name}:${user.id}:burst`, FAILURE_RULES.codeSendBurstPerAccount],
      [`code-send:${name}:${user.id}:hour`, FAILURE_RULES.codeSendsPerAccount],
    ]);
    if (limit.blocked)
      throw new TooManyRequestsError(
        limit.retryAfterSeconds,
        'a code was sent a moment ago; please wait before asking again',
      );
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = randomUUID();
    await this.repo.replaceCode(
      { tenantId: tenant.id, userId: user.id, channel: name, purpose },
      id,
      this.hash(id, code),
      CODE_TTL_SECONDS,
    );
    const delivered = await channel.deliver({
      to: destination,
      code,
      purpose,
      tenantName: tenant.displayName,
      username: user.username,
      ttlMinutes: CODE_TTL_SECONDS / 60,
    });
    if (!delivered) throw new CodeNotDeliveredError();
    return { channel: name, to: channel.mask(destination), expiresInSeconds: CODE_TTL_SECONDS };
  }

  private async check(tenantId: string, userId: string, channel: string, purpose: CodePurpose, code: string) {
    const key = { tenantId, userId, channel, purpose };
    const typed = typeof code === 'string' ? code.replace(/[\s-]/g, '') : '';
    if (!/^\d{6}$/.test(typed)) return 'invalid';
    const live = await this.repo.takeAttempt(key, CODE_MAX_ATTEMPTS);
    if (!live) return (await this.repo.exhausted(key, CODE_MAX_ATTEMPTS)) ? 'exhausted' : 'invalid';
    if (!constantTimeEqual(live.codeHash, this.hash(live.id, typed))) return 'invalid';
    return (await this.repo.markUsed(live.id)) ? 'ok' : 'invalid';
  }

  /** HMAC under a key derived from MASTER_KEY, bound to the code's row. */
  private hash(id: string, code: string): string {
    return createHmac('sha256', this.key).update(`${id}:${code}`).digest('base64url');
  }
}
