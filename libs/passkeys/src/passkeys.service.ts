import {
  APP_CONFIG,
  type AppConfig,
  ConflictError,
  MailService,
  NotFoundError,
  SHARED_STATE,
  type SharedState,
} from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { COSEALG } from '@simplewebauthn/server/helpers';
import { passkeyAddedMail } from './passkey-added-mail.js';
import { PasskeyRejectedError, rejectionOf } from './passkey-rejected.error.js';
import type { PasskeyEntity } from './passkey.entity.js';
import { PasskeysRepository } from './passkeys.repository.js';
import { relyingPartyOf, type RelyingParty } from './relying-party.js';
import { authenticationResponse, challengeOf, registrationResponse, userHandleOf } from './webauthn-responses.js';

/** How long the browser may take; the challenge lives a little longer than that. */
const CEREMONY_TIMEOUT_MS = 120_000;
const CHALLENGE_TTL_SECONDS = 180;
/** Plenty for real people (phone, laptop, two keys…); bounds what one account can store. */
export const MAX_PASSKEYS_PER_USER = 20;
/**
 * The key algorithms a new passkey may use, the same whatever Node.js runs the server.
 * simplewebauthn's default prefers ML-DSA-44 where the runtime has it (Node 24): a passkey
 * created there could not be verified after a move back to Node 20, and every replica of a
 * mixed fleet would have to have it. EdDSA, ES256 and RS256 are what authenticators support.
 */
const PASSKEY_ALGORITHMS = [COSEALG.EdDSA, COSEALG.ES256, COSEALG.RS256];

/** What a challenge was issued for; the response must come back to the same purpose. */
type Ceremony = { kind: 'register'; userId: string } | { kind: 'sign-in'; interaction: string; userId?: string };

/** A verified passkey sign-in: whose it is, and the RFC 8176 method it counts as. */
export interface PasskeySignIn {
  passkey: PasskeyEntity;
  userId: string;
  /** `swk` for a synced (backup-eligible) passkey, `hwk` for a key bound to one device. */
  method: 'hwk' | 'swk';
}

/**
 * WebAuthn registration and sign-in ceremonies (through @simplewebauthn/server). Every
 * challenge is random, single-use and short-lived in the shared state, bound to what it was
 * issued for (a user registering; one sign-in interaction, and for a second factor its user).
 */
@Injectable()
export class PasskeysService {
  readonly relyingParty: RelyingParty;

  constructor(
    private readonly repo: PasskeysRepository,
    @Inject(SHARED_STATE) private readonly state: SharedState,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly mail: MailService,
  ) {
    this.relyingParty = relyingPartyOf(config.publicUrl);
  }

  list(tenantId: string, userId: string): Promise<PasskeyEntity[]> {
    return this.repo.listForUser(tenantId, userId);
  }

  count(tenantId: string, userId: string): Promise<number> {
    return this.repo.countForUser(tenantId, userId);
  }

  async get(tenantId: string, userId: string, id: string): Promise<PasskeyEntity> {
    const passkey = await this.repo.findForUser(tenantId, userId, id);
    if (!passkey) throw new NotFoundError('passkey');
    return passkey;
  }

  /** Options for `navigator.credentials.create()`: a discoverable credential with user verification. */
  async registrationOptions(
    tenant: { id: string; displayName: string },
    user: { id: string; username: string },
  ): Promise<PublicKeyCredentialCreationOptionsJSON> {
    this.assertAvailable();
    const existing = await this.repo.listForUser(tenant.id, user.id);
    if (existing.length >= MAX_PASSKEYS_PER_USER)
      throw new ConflictError(`an account may have at most ${MAX_PASSKEYS_PER_USER} passkeys`);
    const options = await generateRegistrationOptions({
      rpName: tenant.displayName,
      rpID: this.relyingParty.id,
      userID: userHandleOf(user.id),
      userName: user.username,
      // Every tenant shares one relying-party id: the tenant's name tells the passkeys apart.
      userDisplayName: `${user.username} (${tenant.displayName})`,
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    });
    await this.issue(tenant.id, options.challenge, { kind: 'register', userId: user.id });
    return options;
  }

  /**
   * Verifies what the browser created against the user's challenge and stores the new
   * passkey; the account's verified address is told (a new way into the account).
   */
  async register(
    tenant: { id: string; displayName: string },
    user: { id: string; username: string; email?: string | null; emailVerified?: boolean },
    name: string,
    input: unknown,
  ): Promise<PasskeyEntity> {
    const [tenantId, userId] = [tenant.id, user.id];
    const response = registrationResponse(input);
    const challenge = await this.claim(tenantId, response.response.clientDataJSON, (c) => {
      return c.kind === 'register' && c.userId === userId;
    });
    let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verification = await verifyRegistrationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.relyingParty.origin,
        expectedRPID: this.relyingParty.id,
        requireUserVerification: true,
        supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
      });
    } catch (error) {
      throw new PasskeyRejectedError(rejectionOf(error));
    }
    if (!verification.verified) throw new PasskeyRejectedError('signature');
    const info = verification.registrationInfo;
    if ((await this.repo.countForUser(tenantId, userId)) >= MAX_PASSKEYS_PER_USER)
      throw new ConflictError(`an account may have at most ${MAX_PASSKEYS_PER_USER} passkeys`);
    const passkey = await this.repo.insert({
      tenantId,
      userId,
      credentialId: info.credential.id,
      publicKey: Buffer.from(info.credential.publicKey),
      signCount: String(info.credential.counter),
      transports: response.response.transports ?? [],
      aaguid: info.aaguid,
      backupEligible: info.credentialDeviceType === 'multiDevice',
      backedUp: info.credentialBackedUp,
      name,
    });
    if (user.email && user.emailVerified) {
      const content = passkeyAddedMail({ tenantName: tenant.displayName, username: user.username, passkeyName: name });
      this.mail.sendInBackground({ to: user.email, ...content });
    }
    return passkey;
  }

  /**
   * Options for `navigator.credentials.get()` inside one sign-in. Without a user: any
   * discoverable passkey, with user verification (it replaces the password). With the user
   * whose password was just checked: one of their passkeys, as the second factor.
   */
  async signInOptions(
    tenantId: string,
    ceremony: { interaction: string; userId?: string },
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    this.assertAvailable();
    const allowed = ceremony.userId ? await this.repo.listForUser(tenantId, ceremony.userId) : [];
    if (ceremony.userId && !allowed.length) throw new NotFoundError('passkey');
    const options = await generateAuthenticationOptions({
      rpID: this.relyingParty.id,
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification: ceremony.userId ? 'preferred' : 'required',
      allowCredentials: allowed.map((p) => ({ id: p.credentialId, transports: p.transports })),
    });
    await this.issue(tenantId, options.challenge, { kind: 'sign-in', ...ceremony });
    return options;
  }

  /** Verifies a sign-in assertion: right challenge, origin, relying party, key, signature and counter. */
  async signIn(
    tenantId: string,
    input: unknown,
    ceremony: { interaction: string; userId?: string },
  ): Promise<PasskeySignIn> {
    const response = authenticationResponse(input);
    const challenge = await this.claim(tenantId, response.response.clientDataJSON, (c) => {
      return c.kind === 'sign-in' && c.interaction === ceremony.interaction && c.userId === ceremony.userId;
    });
    // A credential of another tenant (or of another user, for a second factor) is unknown here.
    const passkey = await this.repo.findByCredentialId(tenantId, response.id);
    if (!passkey || (ceremony.userId && passkey.userId !== ceremony.userId))
      throw new PasskeyRejectedError('unknown_credential');
    const owner = { id: passkey.id, userId: passkey.userId };
    const handle = response.response.userHandle;
    if (handle && handle !== Buffer.from(userHandleOf(passkey.userId)).toString('base64url'))
      throw new PasskeyRejectedError('user_handle', owner);
    let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verification = await verifyAuthenticationResponse({
        response,
        expectedChallenge: challenge,
        expectedOrigin: this.relyingParty.origin,
        expectedRPID: this.relyingParty.id,
        // The counter is compared below, once the signature is known to be genuine: a forged
        // response must not pass for a cloned authenticator.
        credential: { id: passkey.credentialId, publicKey: new Uint8Array(passkey.publicKey), counter: 0 },
        requireUserVerification: !ceremony.userId,
      });
    } catch (error) {
      throw new PasskeyRejectedError(rejectionOf(error), owner);
    }
    if (!verification.verified) throw new PasskeyRejectedError('signature', owner);
    const { newCounter, credentialBackedUp } = verification.authenticationInfo;
    const stored = Number(passkey.signCount);
    const counterWentBack = (newCounter > 0 || stored > 0) && newCounter <= stored;
    if (counterWentBack || !(await this.repo.recordUse(passkey, newCounter, credentialBackedUp)))
      throw new PasskeyRejectedError('sign_counter_regression', owner);
    return { passkey, userId: passkey.userId, method: passkey.backupEligible ? 'swk' : 'hwk' };
  }

  async rename(tenantId: string, userId: string, id: string, name: string): Promise<PasskeyEntity> {
    if (!(await this.repo.rename(tenantId, userId, id, name))) throw new NotFoundError('passkey');
    return this.get(tenantId, userId, id);
  }

  /**
   * Removes a passkey, unless it is the last way the user can sign in (no password, no other
   * passkey): the account would be lost. `hasPassword` never turns false again once true.
   */
  async remove(tenantId: string, userId: string, id: string, hasPassword: boolean): Promise<PasskeyEntity> {
    const passkey = await this.get(tenantId, userId, id);
    const outcome = await this.repo.deleteUnlessLast(tenantId, userId, id, !hasPassword);
    if (outcome === 'last')
      throw new ConflictError('this passkey is the only way left to sign in: add another passkey or a password first');
    if (outcome === 'gone') throw new NotFoundError('passkey');
    return passkey;
  }

  private assertAvailable(): void {
    if (!this.relyingParty.available)
      throw new ConflictError('passkeys need PUBLIC_URL to name a host, not an IP address (browsers refuse one)');
  }

  private async issue(tenantId: string, challenge: string, ceremony: Ceremony): Promise<void> {
    await this.state.singleUse.put(tenantId, `webauthn:${challenge}`, JSON.stringify(ceremony), CHALLENGE_TTL_SECONDS);
  }

  /** Uses the challenge up (whatever the outcome) and checks it was issued for this ceremony. */
  private async claim(tenantId: string, clientDataJSON: string, matches: (c: Ceremony) => boolean): Promise<string> {
    const challenge = challengeOf(clientDataJSON);
    const stored = await this.state.singleUse.take(tenantId, `webauthn:${challenge}`);
    if (!stored || !matches(JSON.parse(stored) as Ceremony)) throw new PasskeyRejectedError('challenge');
    return challenge;
  }
}
