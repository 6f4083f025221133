import { hashPassword, ValidationError, verifyPassword } from '@app/platform';
import type { PasswordPolicy } from '@app/tenancy';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PasswordHistoryEntity } from './password-history.entity.js';
import { passwordPolicyViolations } from './password-policy.js';
import { UserEntity } from './user.entity.js';

const DAY_MS = 24 * 3600 * 1000;

/** A new password that passed every check (policy and history), already hashed. */
export interface CheckedPassword {
  readonly userId: string;
  readonly hash: string;
}

/** The user whose password changes, as stored. */
type Holder = Pick<UserEntity, 'id' | 'username' | 'email' | 'passwordHash'>;

/**
 * Setting a password under a tenant's policy: its rules, then not one of the last
 * `historyCount` passwords (compared with argon2 against the stored hashes, the current one
 * included), and afterwards only as many old hashes kept as the history needs. Checking and
 * applying are separate so a caller can check before it spends something (a reset link).
 */
@Injectable()
export class PasswordsService {
  constructor(private readonly db: DataSource) {}

  /** Throws a ValidationError saying what is wrong; `notCurrent` refuses the current password even without history. */
  async check(
    tenantId: string,
    user: Holder,
    password: string,
    policy: PasswordPolicy,
    options: { notCurrent?: boolean } = {},
  ): Promise<CheckedPassword> {
    const problems = passwordPolicyViolations(password, policy, user);
    if (problems.length) throw new ValidationError(problems.join('; '));
    const remembered = Math.max(policy.historyCount, options.notCurrent ? 1 : 0);
    if (remembered > 0) {
      const earlier = remembered > 1 ? await this.history(tenantId, user.id, remembered - 1) : [];
      for (const hash of [user.passwordHash, ...earlier]) {
        if (hash && (await verifyPassword(hash, password))) {
          throw new ValidationError(
            remembered === 1
              ? 'password must differ from the current one'
              : `password must not be one of your last ${remembered} passwords`,
          );
        }
      }
    }
    return { userId: user.id, hash: await hashPassword(password) };
  }

  /** Replaces the password; the one it replaces joins the history, which keeps no more than it needs. */
  async apply(tenantId: string, user: Holder, checked: CheckedPassword, policy: PasswordPolicy): Promise<void> {
    if (checked.userId !== user.id) throw new Error('a checked password belongs to one user');
    const keep = Math.max(0, policy.historyCount - 1);
    await this.db.transaction(async (manager) => {
      if (keep > 0 && user.passwordHash)
        await manager.insert(PasswordHistoryEntity, { tenantId, userId: user.id, passwordHash: user.passwordHash });
      await manager.query(
        `DELETE FROM password_history WHERE tenant_id = $1 AND user_id = $2 AND id NOT IN (
           SELECT id FROM password_history WHERE tenant_id = $1 AND user_id = $2
           ORDER BY created_at DESC, id DESC LIMIT $3)`,
        [tenantId, user.id, keep],
      );
      await manager.update(
        UserEntity,
        { tenantId, id: user.id },
        { passwordHash: checked.hash, passwordChangedAt: new Date() },
      );
    });
  }

  /** The password is older than the policy's maxAgeDays (counted from the account's creation when never changed since). */
  expired(user: Pick<UserEntity, 'passwordHash' | 'passwordChangedAt' | 'createdAt'>, policy: PasswordPolicy): boolean {
    if (policy.maxAgeDays <= 0 || !user.passwordHash) return false;
    const setAt = (user.passwordChangedAt ?? user.createdAt).getTime();
    return Date.now() - setAt > policy.maxAgeDays * DAY_MS;
  }

  private async history(tenantId: string, userId: string, count: number): Promise<string[]> {
    const rows = await this.db.getRepository(PasswordHistoryEntity).find({
      where: { tenantId, userId },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: count,
    });
    return rows.map((row) => row.passwordHash);
  }
}
