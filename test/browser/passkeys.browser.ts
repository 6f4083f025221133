import { CHROMIUM_PATH, startTestServer, type TestServer } from '@app/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import {
  type AuthorizationStart,
  discover,
  oidc,
  PASSWORD,
  provisionTenant,
  startAuthorization,
  type TenantFixture,
} from '../e2e/oidc-flows.js';

const profiles: string[] = [];

/** Debian's chromium in a fresh profile, off the (closed) network; see login.browser.ts. */
async function launchChromium(options: { javaScriptEnabled?: boolean } = {}): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'idp-chromium-'));
  profiles.push(profile);
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    ...options,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

describe('passkeys in a real browser (Chromium with a CDP virtual authenticator)', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let browser: BrowserContext;
  let page: Page;
  let config: oidc.Configuration;
  /** The application: a real HTTP server the sign-in redirects back to (Chromium refuses port 9 itself). */
  let app: Server;
  let redirectUri: string;
  const problems: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    expect((await server.adminApi('PATCH', '/admin/tenants/acme', { settings: { offerPasskeys: true } })).status).toBe(
      200,
    );
    app = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>back at the app</p>'),
    );
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    redirectUri = `http://127.0.0.1:${(app.address() as { port: number }).port}/callback`;
    const client = await server.adminApi('POST', '/admin/tenants/acme/clients', {
      name: 'Passkey app',
      applicationType: 'spa',
      redirectUris: [redirectUri],
      firstParty: true,
    });
    config = await discover(acme.issuer, client.body.clientId);
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    // A platform authenticator as a laptop has one: resident keys, user verification (a fingerprint).
    const cdp = await browser.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((resolve) => app?.close(resolve));
    for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
  });

  async function backAtClient(start: AuthorizationStart) {
    await page.waitForURL(`${redirectUri}**`);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: start.verifier,
      expectedState: start.state,
      expectedNonce: start.nonce,
    });
    return { tokens, claims: tokens.claims()! };
  }

  async function signOut(idToken: string) {
    await page.goto(oidc.buildEndSessionUrl(config, { id_token_hint: idToken }).href);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page
      .getByText(/signed out/i)
      .first()
      .waitFor();
  }

  async function passwordStep() {
    const start = await startAuthorization(config, { scope: 'openid', redirect_uri: redirectUri });
    await page.goto(start.url.href);
    await page.getByLabel('Username').fill(acme.user.username);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    return start;
  }

  let idToken: string;

  it('creates a passkey on the offer after a password sign-in', async () => {
    const start = await passwordStep();
    await page.getByRole('heading', { name: 'Sign in faster next time' }).waitFor();
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    const { claims, tokens } = await backAtClient(start);
    expect(claims).toMatchObject({ sub: acme.user.id, amr: ['pwd'] });
    idToken = tokens.id_token!;
    const listed = await fetch(`${acme.issuer}/account/passkeys`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const { items } = (await listed.json()) as { items: { name: string; deviceType: string }[] };
    expect(items).toEqual([
      expect.objectContaining({ name: expect.stringMatching(/Chrom/), deviceType: 'singleDevice' }),
    ]);
  }, 60_000);

  it('signs out, then signs in with the passkey alone', async () => {
    await signOut(idToken);
    const start = await startAuthorization(config, { scope: 'openid', redirect_uri: redirectUri });
    await page.goto(start.url.href);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    const { claims, tokens } = await backAtClient(start);
    expect(claims).toMatchObject({ sub: acme.user.id, amr: ['hwk', 'mfa'], acr: 'urn:idp:acr:mfa' });
    idToken = tokens.id_token!;
  }, 60_000);

  it('uses the passkey as the second factor after the password', async () => {
    await signOut(idToken);
    const start = await passwordStep();
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await page.getByRole('button', { name: 'Use my passkey' }).click();
    const { claims } = await backAtClient(start);
    expect(claims).toMatchObject({ sub: acme.user.id, amr: ['pwd', 'hwk', 'mfa'], acr: 'urn:idp:acr:mfa' });
    expect(problems).toEqual([]);
  }, 60_000);

  it('without JavaScript the passkey button stays hidden and the password form works', async () => {
    const created = await server.adminApi('POST', '/admin/tenants/acme/users', {
      username: 'nojs',
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    await server.adminApi('PATCH', '/admin/tenants/acme', { settings: { offerPasskeys: false } });
    const plain = await launchChromium({ javaScriptEnabled: false });
    try {
      const tab = await plain.newPage();
      const start = await startAuthorization(config, { scope: 'openid', redirect_uri: redirectUri });
      await tab.goto(start.url.href);
      await expect(tab.getByRole('button', { name: 'Use a passkey' }).isVisible()).resolves.toBe(false);
      await tab.getByLabel('Username').fill('nojs');
      await tab.getByLabel('Password').fill(PASSWORD);
      await tab.getByRole('button', { name: 'Sign in', exact: true }).click();
      await tab.waitForURL(`${redirectUri}**`);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(tab.url()), {
        pkceCodeVerifier: start.verifier,
        expectedState: start.state,
        expectedNonce: start.nonce,
      });
      expect(tokens.claims()).toMatchObject({ sub: created.body.id, amr: ['pwd'] });
    } finally {
      await plain.close();
    }
  }, 60_000);
});
