import { type UserEntity, UsersService } from '@app/identity';
import { ConflictError, NotFoundError } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { BrokerError } from './broker-error.js';
import type { FederatedIdentityEntity } from './federated-identity.entity.js';
import { FederationRepository } from './federation.repository.js';
import type { IdentityProviderEntity } from './identity-provider.entity.js';
import type { UpstreamProfile } from './presets.js';

export interface FederatedUser {
  user: UserEntity;
  /** How the account was found: an existing link, linked now by verified email, or created now. */
  via: 'link' | 'verified-email' | 'created';
}

export interface LinkedIdentity {
  alias: string;
  displayName: string;
  type: string;
  email: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/**
 * Which of our users an upstream account is. The link (upstream `sub` + provider) decides;
 * without one, an existing user is linked only by an address the upstream says it verified
 * (an unverified one would let anyone who types a victim's address into an upstream take
 * over the victim's account here), and otherwise a user is created when the provider allows.
 */
@Injectable()
export class FederatedAccountsService {
  constructor(
    private readonly repo: FederationRepository,
    private readonly users: UsersService,
  ) {}

  async resolve(provider: IdentityProviderEntity, profile: UpstreamProfile): Promise<FederatedUser> {
    const tenantId = provider.tenantId;
    const link = await this.repo.findLink(tenantId, provider.id, profile.subject);
    if (link) {
      const user = await this.users.find(tenantId, link.userId);
      if (!user || user.disabled) throw new BrokerError('disabled_user');
      await this.repo.touchLink(link, profile.email);
      return { user, via: 'link' };
    }
    const sameEmail = profile.email ? await this.users.findByEmail(tenantId, profile.email) : null;
    if (sameEmail) {
      if (provider.linkBy !== 'verified-email') throw new BrokerError('email_in_use');
      // Both sides must vouch for the address: the upstream now, and our user earlier.
      if (!profile.emailVerified || !sameEmail.emailVerified) throw new BrokerError('unverified_email');
      if (sameEmail.disabled) throw new BrokerError('disabled_user');
      await this.linkOnce(provider, sameEmail.id, profile);
      return { user: sameEmail, via: 'verified-email' };
    }
    if (!provider.jit) throw new BrokerError('not_linked');
    const user = await this.createUser(tenantId, profile);
    await this.linkOnce(provider, user.id, profile);
    return { user, via: 'created' };
  }

  async identities(tenantId: string, userId: string): Promise<LinkedIdentity[]> {
    return (await this.repo.listLinks(tenantId, userId)).map((link: FederatedIdentityEntity) => ({
      alias: link.provider!.alias,
      displayName: link.provider!.displayName,
      type: link.provider!.type,
      email: link.email,
      createdAt: link.createdAt,
      lastUsedAt: link.lastUsedAt,
    }));
  }

  /** Refused (409) when it is the user's last way to sign in; `hasOtherWay` answers for methods owned elsewhere. */
  async unlink(tenantId: string, userId: string, alias: string, hasOtherWay: () => Promise<boolean>): Promise<void> {
    const outcome = await this.repo.deleteLinkUnlessLast(tenantId, userId, alias, hasOtherWay);
    if (outcome === 'gone') throw new NotFoundError('linked identity');
    if (outcome === 'last')
      throw new ConflictError('this is your only way to sign in: set a password or link another provider first');
  }

  private async linkOnce(provider: IdentityProviderEntity, userId: string, profile: UpstreamProfile) {
    try {
      await this.repo.insertLink({
        tenantId: provider.tenantId,
        userId,
        providerId: provider.id,
        subject: profile.subject,
        email: profile.email,
      });
    } catch (error) {
      // This user already has another account of this provider linked: not silently replaced.
      if (error instanceof ConflictError) throw new BrokerError('email_in_use', 'user already linked to this provider');
      throw error;
    }
  }

  /** No password: the upstream is how this user signs in. The username is the upstream's suggestion, made unique. */
  private async createUser(tenantId: string, profile: UpstreamProfile): Promise<UserEntity> {
    const base = usernameFrom(profile);
    for (let attempt = 0; attempt < 5; attempt++) {
      const username = attempt === 0 ? base : `${base.slice(0, 100)}-${randomBytes(3).toString('hex')}`;
      if (await this.users.usernameTaken(tenantId, username)) continue;
      try {
        // Only a verified address is kept: an unverified one would squat someone else's email here.
        return await this.users.create(tenantId, {
          username,
          email: profile.emailVerified ? (profile.email ?? undefined) : undefined,
          emailVerified: profile.emailVerified && !!profile.email,
        });
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new BrokerError('email_in_use', 'no free username');
  }
}

/** A readable username: the upstream's suggestion, else the email's local part, else a random one. */
export function usernameFrom(profile: UpstreamProfile): string {
  const raw = profile.username ?? profile.email?.split('@')[0] ?? '';
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `user-${randomBytes(4).toString('hex')}`;
}
