import { Injectable } from '@nestjs/common';
import {
  ConflictError,
  dummyPasswordHash,
  hashPassword,
  NotFoundError,
  passwordNeedsRehash,
  ValidationError,
  verifyPassword,
} from '@app/platform';
import { And, DataSource, type FindOptionsWhere, ILike, MoreThan, QueryFailedError } from 'typeorm';
import { passwordPolicyViolations } from './password-policy.js';
import { PasswordsService } from './passwords.service.js';
import { UserEntity } from './user.entity.js';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '@app/tenancy';

export interface UserInput {
  username: string;
  email?: string;
  password?: string;
  emailVerified?: boolean;
}

function assertPassword(
  password: string,
  policy: PasswordPolicy,
  identity: { username?: string; email?: string | null },
) {
  const problems = passwordPolicyViolations(password, policy, identity);
  if (problems.length) throw new ValidationError(problems.join('; '));
}

/** What a user may edit of their own profile (OIDC standard claims); null clears one. */
export interface ProfileChanges {
  name?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  locale?: string | null;
  picture?: string | null;
}

/** Claims released per scope (OIDC Core 5.4); `sub` is always released, unset claims never. */
export function userClaims(user: UserEntity, scopes: Set<string>): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.id };
  if (scopes.has('profile')) {
    claims.preferred_username = user.username;
    const profile = {
      name: user.name,
      given_name: user.givenName,
      family_name: user.familyName,
      locale: user.locale,
      picture: user.picture,
    };
    for (const [claim, value] of Object.entries(profile)) if (value) claims[claim] = value;
  }
  if (scopes.has('email') && user.email) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  return claims;
}

/** Told after a user's claims or status changed (caches of signed-in users drop them). */
export type UserChangedListener = (tenantId: string, userId: string) => Promise<void> | void;

@Injectable()
export class UsersService {
  private readonly listeners: UserChangedListener[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly passwords: PasswordsService,
  ) {}

  onChange(listener: UserChangedListener): void {
    this.listeners.push(listener);
  }

  private async changed(tenantId: string, userId: string): Promise<void> {
    for (const listener of this.listeners) await listener(tenantId, userId);
  }

  private get repo() {
    return this.db.getRepository(UserEntity);
  }

  async create(
    tenantId: string,
    input: UserInput,
    policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
  ): Promise<UserEntity> {
    if (input.password !== undefined) assertPassword(input.password, policy, input);
    try {
      return await this.repo.save({
        tenantId,
        username: input.username.toLowerCase(),
        email: input.email?.toLowerCase() ?? null,
        emailVerified: input.emailVerified ?? false,
        passwordHash: input.password ? await hashPassword(input.password) : null,
        passwordChangedAt: input.password ? new Date() : null,
        disabled: false,
      });
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new ConflictError('a user with this username or email already exists');
      }
      throw error;
    }
  }

  /** Idempotent bootstrap of an operator account. */
  async ensure(
    tenantId: string,
    input: UserInput & { password: string },
    policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
  ): Promise<UserEntity> {
    const existing = await this.repo.findOneBy({ tenantId, username: input.username.toLowerCase() });
    if (!existing) return this.create(tenantId, input, policy);
    if (!(await verifyPassword(existing.passwordHash ?? '', input.password))) {
      assertPassword(input.password, policy, input);
      await this.repo.update(
        { id: existing.id },
        { passwordHash: await hashPassword(input.password), passwordChangedAt: new Date() },
      );
    }
    await this.repo.update({ id: existing.id }, { disabled: false });
    await this.changed(tenantId, existing.id);
    return this.get(tenantId, existing.id);
  }

  async get(tenantId: string, id: string): Promise<UserEntity> {
    const user = await this.find(tenantId, id);
    if (!user) throw new NotFoundError('user');
    return user;
  }

  async update(
    tenantId: string,
    id: string,
    changes: { email?: string | null; emailVerified?: boolean; disabled?: boolean },
  ): Promise<UserEntity> {
    await this.get(tenantId, id);
    try {
      await this.repo.update(
        { tenantId, id },
        {
          ...(changes.email !== undefined ? { email: changes.email?.toLowerCase() ?? null } : {}),
          ...(changes.emailVerified !== undefined ? { emailVerified: changes.emailVerified } : {}),
          ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
        },
      );
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505') {
        throw new ConflictError('a user with this email already exists');
      }
      throw error;
    }
    await this.changed(tenantId, id);
    return this.get(tenantId, id);
  }

  /** The user's own profile edit; callers validated the values (AccountController's DTO). */
  async updateProfile(tenantId: string, id: string, changes: ProfileChanges): Promise<UserEntity> {
    await this.get(tenantId, id);
    const set: Partial<UserEntity> = {};
    for (const key of ['name', 'givenName', 'familyName', 'locale', 'picture'] as const) {
      if (changes[key] !== undefined) set[key] = changes[key] === '' ? null : changes[key];
    }
    if (Object.keys(set).length) await this.repo.update({ tenantId, id }, set);
    await this.changed(tenantId, id);
    return this.get(tenantId, id);
  }

  /** A completed sign-in: `lastLoginAt` in the admin API. */
  async recordLogin(tenantId: string, id: string, at = new Date()): Promise<void> {
    await this.repo.update({ tenantId, id }, { lastLoginAt: at });
  }

  /**
   * A new password (admin reset, the user's own change): the policy and the password
   * history apply (ValidationError otherwise). The caller ends the user's sessions.
   */
  async setPassword(
    tenantId: string,
    id: string,
    password: string,
    policy: PasswordPolicy,
    options: { notCurrent?: boolean } = {},
  ): Promise<void> {
    const user = await this.get(tenantId, id);
    await this.passwords.apply(
      tenantId,
      user,
      await this.passwords.check(tenantId, user, password, policy, options),
      policy,
    );
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.get(tenantId, id);
    await this.repo.delete({ tenantId, id });
    await this.changed(tenantId, id);
  }

  /** The account a "forgot password" form names: by username, or by email when it has an @. */
  findByLogin(tenantId: string, login: string): Promise<UserEntity | null> {
    const value = login.trim().toLowerCase();
    if (!value || value.length > 320) return Promise.resolve(null);
    return this.repo.findOne({
      where: [
        { tenantId, username: value },
        { tenantId, email: value },
      ],
    });
  }

  async usernameTaken(tenantId: string, username: string): Promise<boolean> {
    return this.repo.existsBy({ tenantId, username: username.trim().toLowerCase() });
  }

  findByEmail(tenantId: string, email: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ tenantId, email: email.trim().toLowerCase() });
  }

  /** The user proved control of `email`; a no-op (false) if their address changed meanwhile. */
  async markEmailVerified(tenantId: string, id: string, email: string): Promise<boolean> {
    const result = await this.repo.update({ tenantId, id, email: email.toLowerCase() }, { emailVerified: true });
    await this.changed(tenantId, id);
    return (result.affected ?? 0) > 0;
  }

  count(tenantId: string): Promise<number> {
    return this.repo.countBy({ tenantId });
  }

  find(tenantId: string, id: string): Promise<UserEntity | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(null);
    return this.repo.findOneBy({ tenantId, id });
  }

  /** Keyset pagination by username; `search` matches username or email, case-insensitively. */
  list(tenantId: string, limit: number, cursor?: string, search?: string): Promise<UserEntity[]> {
    const after = cursor ? { username: MoreThan(cursor) } : {};
    let where: FindOptionsWhere<UserEntity>[] = [{ tenantId, ...after }];
    if (search) {
      const term = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where = [
        { tenantId, username: cursor ? And(MoreThan(cursor), ILike(term)) : ILike(term) },
        { tenantId, ...after, email: ILike(term) },
      ];
    }
    return this.repo.find({ where, order: { username: 'ASC' }, take: limit });
  }

  /**
   * The same work (one argon2 verification) whether or not the user exists, so neither
   * the answer nor its timing reveals which usernames are registered.
   */
  async verifyCredentials(tenantId: string, username: string, password: string): Promise<UserEntity | null> {
    const user = await this.repo.findOneBy({ tenantId, username: username.trim().toLowerCase() });
    const hash = user?.passwordHash ?? (await dummyPasswordHash());
    const valid = await verifyPassword(hash, password);
    if (!valid || !user || user.disabled) return null;
    // Hashes made with older (weaker) parameters are upgraded while we hold the password.
    if (passwordNeedsRehash(hash)) {
      await this.repo.update({ tenantId, id: user.id }, { passwordHash: await hashPassword(password) });
    }
    return user;
  }
}
