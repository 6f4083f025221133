import { CHROMIUM_PATH, startTestServer, type TestServer } from '@app/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
