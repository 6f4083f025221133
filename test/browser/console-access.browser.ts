import { startTestServer, type TestServer } from '@app/testing';
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { heading, launchVisitor, screenshot, seriousViolations, signIn } from './console-page.js';

const PASSWORD = 'correct-horse-battery-staple-2026';
const WRITE_BUTTONS = /^(Create|Delete|Rotate|Save|Disable|Enable|Reset|Unlock|End|Send test)/;

/** What the console shows follows what the token's permissions grant. */
describe('the admin console by permission', () => {
  let server: TestServer;
  let backendClientId: string;
  let userId: string;

  async function user(tenant: string, username: string, roles: string[]): Promise<string> {
    const created = await server.adminApi('POST', `/admin/tenants/${tenant}/users`, { username, password: PASSWORD });
    expect(created.status).toBe(201);
    await server.adminApi('PUT', `/admin/tenants/${tenant}/users/${created.body.id}/roles`, { roles });
    return created.body.id;
  }

  /** A fresh browser profile signed in to the console of `tenant`. */
  async function signedIn(tenant: string, username: string, width = 1280) {
    const visitor = await launchVisitor();
    const page = await visitor.context.newPage();
    page.setDefaultTimeout(10_000);
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${server.publicUrl}/console?tenant=${tenant}`);
    await signIn(page, username, PASSWORD);
    return { visitor, page };
  }

  async function writeButtons(page: Page): Promise<string[]> {
    await page.waitForLoadState('networkidle');
    const names = await page.getByRole('button').allTextContents();
    return names.filter((name) => WRITE_BUTTONS.test(name.trim()));
  }

  beforeAll(async () => {
    execFileSync('npm', ['run', '--silent', 'build:console'], { stdio: 'inherit' });
    server = await startTestServer();
    for (const slug of ['acme', 'beta']) {
      expect((await server.adminApi('POST', '/admin/tenants', { slug, displayName: slug.toUpperCase() })).status).toBe(
        201,
      );
    }
    const backend = await server.adminApi('POST', '/admin/tenants/acme/clients', {
      name: 'backend',
      applicationType: 'service',
    });
    backendClientId = backend.body.clientId;
    await user('acme', 'ada', ['admin']);
    userId = await user('acme', 'carl', ['guest']);
    await user('system', 'vera', ['viewer']);
    // More users than one page holds (20).
    for (let i = 0; i < 21; i++) {
      await server.adminApi('POST', '/admin/tenants/acme/users', { username: `member-${String(i).padStart(2, '0')}` });
    }
  });
  afterAll(() => server?.close());

  it('a tenant admin of acme sees only acme and no operator screens', async () => {
    const { visitor, page } = await signedIn('acme', 'ada');
    try {
      await heading(page, 'ACME');
      const nav = page.getByRole('navigation', { name: 'Console' });
      await nav.getByRole('link', { name: 'Users', exact: true }).waitFor();
      expect(await nav.getByRole('link', { name: 'Tenants' }).count()).toBe(0);
      expect(await page.getByLabel('Tenant').count()).toBe(0);
      await screenshot(page, 'access-tenant-admin');
      expect(await seriousViolations(page)).toEqual([]);
      // The operator screen and another tenant's screens send ada back to acme.
      for (const elsewhere of ['/console/tenants', '/console/t/beta/users', '/console/t/system']) {
        await page.goto(`${server.publicUrl}${elsewhere}`);
        await heading(page, 'ACME');
        expect(new URL(page.url()).pathname).toBe('/console/t/acme');
      }
      // A slow answer (over 300 ms) shows a loading indicator until it comes.
      await page.route('**/admin/tenants/acme/users?*', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 900));
        // Unrouting lets a waiting request through by itself.
        await route.continue().catch(() => undefined);
      });
      await nav.getByRole('link', { name: 'Users', exact: true }).click();
      await heading(page, 'Users');
      await page.getByRole('status').getByText('Loading…').waitFor();
      await page.getByRole('button', { name: 'Create user' }).waitFor();
      await page.waitForLoadState('networkidle');
      await page.unroute('**/admin/tenants/acme/users?*');

      // Cursor pagination, then search (the API's ?search=).
      const pages = page.getByRole('navigation', { name: 'Pages' });
      await pages.getByText('Page 1').waitFor();
      await pages.getByRole('button', { name: 'Next' }).click();
      await pages.getByText('Page 2').waitFor();
      await page.getByRole('link', { name: 'member-20' }).waitFor();
      await pages.getByRole('button', { name: 'Previous' }).click();
      await page.getByRole('link', { name: 'ada' }).waitFor();
      await page.getByLabel('Search users').fill('carl');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.getByRole('link', { name: 'member-00' }).waitFor({ state: 'detached' });
      expect(await page.getByRole('table').getByRole('link').allTextContents()).toEqual(['carl']);
    } finally {
      await visitor.close();
    }
  });

  it('renews the access token silently with the refresh token, before it expires', async () => {
    // The shortest lifetime a tenant allows; the console renews a minute early (at least 5 s on).
    await server.adminApi('PATCH', '/admin/tenants/acme', { settings: { accessTokenTtlSeconds: 60 } });
    const { visitor, page } = await signedIn('acme', 'ada');
    try {
      await heading(page, 'ACME');
      const renewal = await page.waitForRequest(
        (request) =>
          request.url().endsWith('/t/acme/token') && /grant_type=refresh_token/.test(request.postData() ?? ''),
        { timeout: 15_000 },
      );
      const answer = await renewal.response();
      expect(answer?.status()).toBe(200);
      expect(await answer?.json()).toMatchObject({
        refresh_token: expect.any(String),
        access_token: expect.any(String),
      });
      // The new token works: the next screen loads.
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Roles' }).click();
      await page.getByRole('link', { name: 'viewer' }).first().waitFor();
    } finally {
      await visitor.close();
      await server.adminApi('PATCH', '/admin/tenants/acme', { settings: { accessTokenTtlSeconds: 900 } });
    }
  });

  it('a viewer sees every screen and no write button on any of them', async () => {
    const { visitor, page } = await signedIn('system', 'vera');
    try {
      await heading(page, 'Tenants');
      expect(await writeButtons(page)).toEqual([]);
      const screens: [string, string | RegExp][] = [
        ['/t/acme', 'ACME'],
        ['/t/acme/applications', 'Applications'],
        [`/t/acme/applications/${backendClientId}`, 'backend'],
        ['/t/acme/resources', 'API resources'],
        ['/t/acme/roles', 'Roles'],
        ['/t/acme/users', 'Users'],
        [`/t/acme/users/${userId}`, 'carl'],
        ['/t/acme/audit', 'Audit trail'],
        ['/t/acme/webhooks', 'Webhooks'],
        ['/t/acme/settings', 'Settings'],
      ];
      for (const [path, title] of screens) {
        await page.getByRole('link', { name: 'Identity console' }).waitFor();
        await page.goto(`${server.publicUrl}/console${path}`);
        await heading(page, title);
        expect([path, await writeButtons(page)]).toEqual([path, []]);
      }
      // Read-only means the inputs are disabled too, not only the buttons gone.
      await expect(page.getByLabel('Wrong passwords before lockout').isDisabled()).resolves.toBe(true);
      await screenshot(page, 'access-viewer-settings');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await visitor.close();
    }
  });

  it('a user without tenants:read sees the refusal as a 403, not an empty page', async () => {
    const { visitor, page } = await signedIn('acme', 'carl');
    try {
      await heading(page, 'acme');
      await page.getByRole('alert').getByText('403 — Not allowed').waitFor();
      await screenshot(page, 'access-forbidden');
    } finally {
      await visitor.close();
    }
  });

  it('works at 375 px: the menu folds away and nothing scrolls sideways', async () => {
    const { visitor, page } = await signedIn('acme', 'ada', 375);
    try {
      await heading(page, 'ACME');
      const links = page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Users', exact: true });
      expect(await links.isVisible()).toBe(false);
      await page.getByRole('button', { name: 'Menu' }).click();
      await links.click();
      await heading(page, 'Users');
      for (const path of ['/t/acme/users', `/t/acme/users/${userId}`, '/t/acme/settings', '/t/acme/audit']) {
        await page.goto(`${server.publicUrl}/console${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        await screenshot(page, `mobile${path.replace(/\//g, '-').replace(userId, 'user')}`);
        const overflow = await page.evaluate(() => {
          const w = globalThis as any;
          return w.document.documentElement.scrollWidth - w.innerWidth;
        });
        expect([path, overflow]).toEqual([path, 0]);
        expect(await seriousViolations(page)).toEqual([]);
      }
    } finally {
      await visitor.close();
    }
  });
});
