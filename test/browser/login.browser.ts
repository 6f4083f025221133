import { CHROMIUM_PATH, startTestServer, type TestServer } from '@app/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { type BrowserContext, chromium } from 'playwright-core';
import {
  discover,
  oidc,
  PASSWORD,
  provisionTenant,
  REDIRECT_URI,
  startAuthorization,
  type TenantFixture,
} from '../e2e/oidc-flows.js';

/** Debian's chromium, never a downloaded browser; flags keep it off the (closed) network. */
async function launchChromium(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
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

describe('a real browser through the sign-in pages', () => {
  let server: TestServer;
  let acme: TenantFixture;
  let browser: BrowserContext;
  const userDataDir = mkdtempSync(join(tmpdir(), 'idp-chromium-'));

  beforeAll(async () => {
    server = await startTestServer();
    acme = await provisionTenant(server, 'acme');
    browser = await launchChromium(userDataDir);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  it('signs in, consents and comes back to the client with a code that redeems', async () => {
    const config = await discover(acme.issuer, acme.web.clientId, acme.web.clientSecret);
    const start = await startAuthorization(config);
    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });

    // The client's redirect URI is not a real server: catch the navigation to it.
    let callback: URL | undefined;
    await page.route(`${REDIRECT_URI}**`, async (route) => {
      callback = new URL(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<p>back at the client</p>' });
    });

    await page.goto(start.url.href);
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    const radius = await page.locator('main').evaluate((el) => (globalThis as any).getComputedStyle(el).borderRadius);
    expect(radius).toBe('12px'); // the stylesheet loaded under the CSP

    await page.getByLabel('Username').fill(acme.user.username);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Invalid username or password');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    await expect(page.getByText('Stay signed in and act for you').isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(`${REDIRECT_URI}**`);

    expect(callback).toBeDefined();
    const tokens = await oidc.authorizationCodeGrant(config, callback!, {
      pkceCodeVerifier: start.verifier,
      expectedState: start.state,
      expectedNonce: start.nonce,
    });
    expect(tokens.claims()!.sub).toBe(acme.user.id);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(cspViolations).toEqual([]);
  });

  it('enrolls an authenticator at sign-in, signs out, and signs in again with a TOTP code', async () => {
    // A new visitor: its own browser profile, so no session from the test before.
    const profile = mkdtempSync(join(tmpdir(), 'idp-chromium-'));
    const visitor = await launchChromium(profile);
    try {
      const config = await discover(acme.issuer, acme.spa.clientId);
      const page = await visitor.newPage();
      await page.route(`${REDIRECT_URI}**`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<p>back at the client</p>' }),
      );
      const totpFor = (secret: string) =>
        new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });

      // 1. The client asks for a second factor; the user has none yet: enroll during sign-in.
      const first = await startAuthorization(config, { scope: 'openid', acr_values: 'urn:idp:acr:mfa' });
      await page.goto(first.url.href);
      await page.getByLabel('Username').fill(acme.user.username);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
      await expect(page.getByRole('img', { name: /QR code/ }).isVisible()).resolves.toBe(true);
      const totp = totpFor((await page.locator('p.hint code').textContent())!.trim());
      await page.getByLabel('Code from your authenticator app').fill(totp.generate());
      await page.getByRole('button', { name: 'Verify and continue' }).click();
      await page.getByRole('heading', { name: 'Save your recovery codes' }).waitFor();
      expect(await page.locator('ul.codes li').count()).toBe(10);
      await page.getByRole('button', { name: 'I saved them, continue' }).click();
      await page.waitForURL(`${REDIRECT_URI}**`);
      const enrolled = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
        pkceCodeVerifier: first.verifier,
        expectedState: first.state,
        expectedNonce: first.nonce,
      });
      expect(enrolled.claims()).toMatchObject({ acr: 'urn:idp:acr:mfa', amr: ['pwd', 'otp'] });

      // 2. Sign out (RP-initiated logout, confirmed on the page).
      await page.goto(oidc.buildEndSessionUrl(config, { id_token_hint: enrolled.id_token! }).href);
      await page.getByRole('button', { name: 'Yes, sign me out' }).click();
      await page
        .getByText(/signed out/i)
        .first()
        .waitFor();

      // 3. Sign in again: password, then a fresh code (the one used above cannot be replayed).
      const second = await startAuthorization(config, { scope: 'openid' });
      await page.goto(second.url.href);
      await page.getByLabel('Username').fill(acme.user.username);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
      await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 500));
      await page.getByLabel('Code from your authenticator app').fill(totp.generate());
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(`${REDIRECT_URI}**`);
      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
        pkceCodeVerifier: second.verifier,
        expectedState: second.state,
        expectedNonce: second.nonce,
      });
      expect(tokens.claims()).toMatchObject({ sub: acme.user.id, acr: 'urn:idp:acr:mfa', amr: ['pwd', 'otp'] });
    } finally {
      await visitor.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 120_000);

  it('renders the admin API documentation (Swagger UI) under its CSP', async () => {
    const page = await browser.newPage();
    const cspViolations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    await page.goto(`${server.url}/admin/docs`);
    await page.getByText('/admin/tenants/{slug}/clients', { exact: true }).first().waitFor();
    expect(cspViolations).toEqual([]);
  });
});
