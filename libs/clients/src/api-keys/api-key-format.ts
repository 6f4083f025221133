import { sha256Base64Url } from '@app/platform';
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * API keys look like `idpk_` + 43 base62 characters (256 random bits) + 6 base62 characters
 * of CRC-32 over the random part, 54 characters in all. The prefix lets secret scanners find
 * leaked keys (`idpk_[0-9A-Za-z]{49}`) and the checksum lets them, and us, tell a real key
 * from a typo or a guess without a lookup. The shape is not a JWT's (no dots), so resource
 * servers introspect these instead of trying to verify them, and it never collides with
 * oidc-provider's 43-character opaque tokens.
 */
export const API_KEY_PREFIX = 'idpk_';
const RANDOM_BYTES = 32;
const BODY_LENGTH = 43;
const CHECK_LENGTH = 6;
const SHAPE = /^idpk_[0-9A-Za-z]{49}$/;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = BASE62[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out;
}

function checksum(body: string): string {
  return base62(BigInt(crc32(body)), CHECK_LENGTH);
}

/** A new API key: shown to its owner once, stored only as {@link hashApiKey}. */
export function generateApiKey(): string {
  const body = base62(BigInt(`0x${randomBytes(RANDOM_BYTES).toString('hex')}`), BODY_LENGTH);
  return `${API_KEY_PREFIX}${body}${checksum(body)}`;
}

/** Shaped like one of our API keys, checksum included; says nothing about whether it exists. */
export function isWellFormedApiKey(value: unknown): value is string {
  if (typeof value !== 'string' || !SHAPE.test(value)) return false;
  const body = value.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + BODY_LENGTH);
  return value.endsWith(checksum(body));
}

/** SHA-256: the key carries 256 random bits, so a fast hash is enough (never argon2 here). */
export function hashApiKey(key: string): string {
  return sha256Base64Url(key);
}

/** The first characters, kept in the clear so an owner can tell keys apart (`idpk_7fQx…`). */
export function apiKeyHint(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 4);
}
