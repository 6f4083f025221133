import { generateSecret, sha256Base64Url } from '@app/platform';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UserActionTokenEntity, type UserActionPurpose } from './user-action-token.entity.js';

/** How long a mailed link works: a reset link briefly, a verification link for a day. */
export const USER_ACTION_TOKEN_TTL_SECONDS: Record<UserActionPurpose, number> = {
  reset_password: 30 * 60,
  verify_email: 24 * 3600,
};

export interface UserActionTokenHolder {
  userId: string;
  email: string;
}

/** 32 random bytes in base64url: exactly 43 characters of the URL-safe alphabet. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Single-use, expiring link tokens. The token itself exists only in the mail; the database
 * keeps its SHA-256 (a database leak yields no working link), and using one is a single
 * conditional UPDATE, so two parallel uses of the same link cannot both succeed.
 */
@Injectable()
export class UserActionTokensService {
  constructor(private readonly db: DataSource) {}

  /** A new token for the user; every older token of the same purpose stops working. */
  async issue(tenantId: string, user: { id: string; email: string }, purpose: UserActionPurpose): Promise<string> {
    const token = generateSecret(32);
    await this.db.transaction(async (manager) => {
      await manager.delete(UserActionTokenEntity, { tenantId, userId: user.id, purpose });
      await manager.query(
        `INSERT INTO user_action_tokens (tenant_id, user_id, purpose, token_hash, email, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
        [tenantId, user.id, purpose, sha256Base64Url(token), user.email, USER_ACTION_TOKEN_TTL_SECONDS[purpose]],
      );
    });
    return token;
  }

  /** Who a still-usable token belongs to, without using it up (to show the form it opens). */
  async peek(tenantId: string, purpose: UserActionPurpose, token: string): Promise<UserActionTokenHolder | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const rows: { user_id: string; email: string }[] = await this.db.query(
      `SELECT user_id, email FROM user_action_tokens
       WHERE tenant_id = $1 AND token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > now()`,
      [tenantId, sha256Base64Url(token), purpose],
    );
    return rows[0] ? { userId: rows[0].user_id, email: rows[0].email } : null;
  }

  /** Uses the token up: at most one caller ever gets its holder back; expired or used → null. */
  async consume(tenantId: string, purpose: UserActionPurpose, token: string): Promise<UserActionTokenHolder | null> {
    if (!TOKEN_SHAPE.test(token)) return null;
    const [rows]: [{ user_id: string; email: string }[], number] = await this.db.query(
      `UPDATE user_action_tokens SET used_at = now()
       WHERE tenant_id = $1 AND token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > now()
       RETURNING user_id, email`,
      [tenantId, sha256Base64Url(token), purpose],
    );
    return rows[0] ? { userId: rows[0].user_id, email: rows[0].email } : null;
  }
}
