import type { OidcClient, TokenSet } from './oidc-client';
import { ConsoleSession, SessionEndedError } from './session';

const jwt = (payload: object) =>
  ['eyJhbGciOiJSUzI1NiJ9', Buffer.from(JSON.stringify(payload)).toString('base64url'), 'sig'].join('.');

function tokens(n: number, expiresInMs: number): TokenSet {
  return {
    accessToken: jwt({ iss: 'https://id.example/t/acme', sub: 'u', permissions: [`p${n}:read`] }),
    refreshToken: `refresh-${n}`,
    idToken: 'id-token',
    expiresAt: Date.now() + expiresInMs,
  };
}

/** Stands in for the authorization server's token endpoint: each refresh rotates. */
function fakeOidc() {
  let issued = 1;
  const refreshedWith: string[] = [];
  const oidc = {
    refresh: jest.fn(async (_tenant: string, current: TokenSet) => {
      refreshedWith.push(current.refreshToken!);
      return tokens(++issued, 15 * 60_000);
    }),
  };
  return { oidc: oidc as unknown as OidcClient, refresh: oidc.refresh, refreshedWith };
}

describe('the console session (tokens in memory, renewed by refresh token rotation)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('renews a minute before the access token expires, with the newest refresh token each time', async () => {
    const { oidc, refreshedWith } = fakeOidc();
    const session = new ConsoleSession(oidc);
    session.start('acme', tokens(1, 15 * 60_000));
    await jest.advanceTimersByTimeAsync(14 * 60_000 - 1000);
    expect(refreshedWith).toEqual([]);
    await jest.advanceTimersByTimeAsync(2000);
    expect(refreshedWith).toEqual(['refresh-1']);
    await jest.advanceTimersByTimeAsync(14 * 60_000);
    expect(refreshedWith).toEqual(['refresh-1', 'refresh-2']);
    const state = session.snapshot();
    expect(state.status === 'signed-in' && state.principal.permissions).toEqual(['p3:read']);
  });

  it('requests waiting for a renewal share one refresh (a rotated token is good once)', async () => {
    const { oidc, refresh } = fakeOidc();
    const session = new ConsoleSession(oidc);
    session.start('acme', tokens(1, 1000));
    const [a, b] = await Promise.all([session.accessToken(), session.renew()]);
    expect(a).toBe(b);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('a refused refresh ends the session with a reason the sign-in screen shows', async () => {
    const { oidc, refresh } = fakeOidc();
    refresh.mockRejectedValueOnce(new Error('invalid_grant'));
    const session = new ConsoleSession(oidc);
    const seen: string[] = [];
    session.subscribe(() => seen.push(session.snapshot().status));
    session.start('acme', tokens(1, 1000));
    await expect(session.accessToken()).rejects.toBeInstanceOf(SessionEndedError);
    expect(session.snapshot()).toEqual({ status: 'signed-out', reason: 'Your session has ended. Sign in again.' });
    expect(seen).toEqual(['signed-in', 'signed-out']);
  });

  it('signing out forgets the tokens before leaving for the logout page', async () => {
    const logoutUrl = jest.fn(async () => new URL('https://id.example/t/acme/session/end'));
    const session = new ConsoleSession({ logoutUrl } as unknown as OidcClient);
    session.start('acme', tokens(1, 60_000));
    expect((await session.signOut())?.pathname).toBe('/t/acme/session/end');
    expect(logoutUrl).toHaveBeenCalledWith('acme', expect.objectContaining({ refreshToken: 'refresh-1' }));
    await expect(session.accessToken()).rejects.toBeInstanceOf(SessionEndedError);
  });
});
