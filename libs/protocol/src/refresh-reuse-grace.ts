import { epochSeconds, type OidcAdapter } from '@app/platform';

/**
 * A refresh token used again after rotation normally revokes the whole grant (RFC 9700
 * §4.14.2). With a grace window (tenant setting, default 0 = off), a rotated token presented
 * again within `graceSeconds` of its first use is exchanged once more instead — for clients
 * whose first response was lost on a flaky network. The window counts from the first use
 * (the adapter keeps that time), so reuses cannot extend it.
 */
export function withRefreshReuseGrace(tokens: OidcAdapter, graceSeconds: number): OidcAdapter {
  if (graceSeconds <= 0) return tokens;
  return {
    ...tokens,
    async find(id) {
      const payload = await tokens.find(id);
      if (payload?.consumed && epochSeconds() - payload.consumed <= graceSeconds) {
        const { consumed: _consumed, ...stillUsable } = payload;
        return stillUsable;
      }
      return payload;
    },
  };
}
