import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the ID token this upstream answers with is broken (or not: `good`). */
export type IdTokenMode = 'good' | 'wrong-issuer' | 'other-key' | 'wrong-nonce' | 'wrong-audience' | 'expired' | 'hang';

/**
 * A minimal OpenID Provider that signs whatever the test asks for: discovery, JWKS, an
 * authorization endpoint that approves at once, and a token endpoint whose ID token is
 * broken as `mode` says. It stands in for a compromised or misconfigured upstream, which
 * a well-behaved provider cannot be made into.
 */
export async function startHostileUpstream(clientId: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const codes = new Map<string, { nonce: string }>();
  const state = { mode: 'good' as IdTokenMode, subject: 'hostile-user-1', email: 'eve@hostile.example' };
  let issuer = '';

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      const code = `code-${codes.size + 1}`;
      codes.set(code, { nonce: url.searchParams.get('nonce') ?? '' });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const code = new URLSearchParams(body).get('code') ?? '';
        const grant = codes.get(code);
        codes.delete(code);
        if (!grant) return json(400, { error: 'invalid_grant' });
        // An upstream that accepts the connection and never answers.
        if (state.mode === 'hang') return;
        void idToken(grant.nonce).then((id_token) =>
          json(200, { access_token: 'at-1', token_type: 'Bearer', expires_in: 300, id_token }),
        );
      });
      return;
    }
    json(404, { error: 'not_found' });
  });

  async function idToken(nonce: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const mode = state.mode;
    return new SignJWT({
      nonce: mode === 'wrong-nonce' ? 'not-the-nonce' : nonce,
      email: state.email,
      email_verified: true,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(mode === 'wrong-issuer' ? 'https://evil.example' : issuer)
      .setAudience(mode === 'wrong-audience' ? 'someone-else' : clientId)
      .setSubject(state.subject)
      .setIssuedAt(mode === 'expired' ? now - 7200 : now)
      .setExpirationTime(mode === 'expired' ? now - 3600 : now + 300)
      .sign(mode === 'other-key' ? other.privateKey : privateKey);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
