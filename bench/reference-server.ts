/**
 * The reference for the benchmark: bare oidc-provider with nothing around it — the engine's own
 * ceiling. It shares with our server only what the issue asks to hold equal: the Redis adapter
 * (from our build), RSA-2048 RS256 keys, argon2id at our parameters for the password check,
 * and the same protocol features (client credentials, introspection, revocation, resource
 * indicators with JWT access tokens, refresh rotation, PKCE). Its login page is a trivial form;
 * the consent step is approved automatically, as ours does for first-party clients.
 *
 * Run: node dist/bench/reference-server.js '<json ReferenceOptions>'
 */
import argon2 from 'argon2';
import { Redis } from 'ioredis';
import { exportJWK, generateKeyPair } from 'jose';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Provider, { errors, type Configuration } from 'oidc-provider';
import { PASSWORD_HASH_OPTIONS } from '../libs/platform/src/crypto/secrets.js';
import { createRedisAdapterFactory } from '../libs/platform/src/shared-state/redis/oidc-adapter.js';

export interface ReferenceOptions {
  port: number;
  redisUrl: string;
  redisPrefix: string;
  apiIdentifier: string;
  redirectUri: string;
  clients: { jwtService: Credentials; opaqueService: Credentials; web: Credentials };
  users: { usernames: string[]; password: string };
}
interface Credentials {
  clientId: string;
  clientSecret: string;
}

const TTL = { AccessToken: 900, ClientCredentials: 900, IdToken: 900, RefreshToken: 7 * 24 * 3600 };

async function main(options: ReferenceOptions): Promise<void> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const redis = new Redis(options.redisUrl);
  const adapters = createRedisAdapterFactory(redis, { prefix: options.redisPrefix, tenantId: 'reference' });
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'reference' };
  // Usernames double as account ids; each has its own argon2id hash, as ours stores them.
  const hashes = new Map<string, string>();
  for (const username of options.users.usernames) {
    hashes.set(username, await argon2.hash(options.users.password, PASSWORD_HASH_OPTIONS));
  }
  const { jwtService, opaqueService, web } = options.clients;
  const service = (c: Credentials) => ({
    client_id: c.clientId,
    client_secret: c.clientSecret,
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  });

  const configuration: Configuration = {
    adapter: adapters as unknown as Configuration['adapter'],
    jwks: { keys: [signingKey as never] },
    cookies: { keys: ['reference-cookie-key-0123456789abcdef'] },
    clients: [
      service(jwtService),
      service(opaqueService),
      {
        client_id: web.clientId,
        client_secret: web.clientSecret,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [options.redirectUri],
      },
    ],
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    rotateRefreshToken: () => true,
    issueRefreshToken: async (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: TTL,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, _client, oneOf) => oneOf as never,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== options.apiIdentifier) throw new errors.InvalidTarget();
          return {
            scope: 'read write',
            audience: indicator,
            accessTokenTTL: TTL.AccessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    findAccount: async (_ctx, sub) => (hashes.has(sub) ? { accountId: sub, claims: async () => ({ sub }) } : undefined),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  };
  const provider = new Provider(issuer, configuration);
  const callback = provider.callback();

  const readForm = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  };

  const interaction = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'POST') {
      const form = await readForm(req);
      const username = form.get('username') ?? '';
      const hash = hashes.get(username);
      const ok = !!hash && (await argon2.verify(hash, form.get('password') ?? ''));
      if (!ok) {
        res.writeHead(401, { 'content-type': 'text/html' }).end('<p>Invalid username or password.</p>');
        return;
      }
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: username } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (details.prompt.name === 'login') {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          `<form method="post" action="/interaction/${details.uid}"><input type="hidden" name="uid" value="${details.uid}">` +
            '<input name="username"><input type="password" name="password"><button>Sign in</button></form>',
        );
      return;
    }
    // Consent, approved automatically (the same contract ours follows for first-party clients).
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  };

  createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
      return;
    }
    void callback(req, res);
  }).listen(options.port, '127.0.0.1');
}

main(JSON.parse(process.argv[2]) as ReferenceOptions).catch((error: unknown) => {
  process.stderr.write(`reference server failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
