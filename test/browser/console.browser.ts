import { startTestServer, type TestServer } from '@app/testing';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { heading, launchVisitor, screenshot, seriousViolations, signIn, watchProblems } from './console-page.js';

const PASSWORD = 'correct-horse-battery-staple-2026';
const operator = { username: 'operator', password: 'a-long-console-passphrase-2026' };

/** The admin console in a real browser, signed in through the real sign-in pages. */
describe('the admin console', () => {
  let server: TestServer;
  let visitor: Awaited<ReturnType<typeof launchVisitor>>;
  let page: Page;
  let problems: string[];
  const consoleUrl = (path = '') => `${server.publicUrl}/console${path}`;

  /** Each main screen: no serious or critical axe violation, and a screenshot to look at. */
  async function check(name: string, on: Page = page): Promise<void> {
    await on.waitForLoadState('networkidle');
    await screenshot(on, name);
    expect(await seriousViolations(on)).toEqual([]);
  }

  function clientCredentials(clientId: string, secret: string): Promise<Response> {
    return fetch(`${server.url}/t/acme/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
  }

  async function nav(label: string, title: string | RegExp = label): Promise<void> {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: label, exact: true }).click();
    await heading(page, title);
  }

  beforeAll(async () => {
    // The server serves dist/console: build it from the sources under test.
    execFileSync('npm', ['run', '--silent', 'build:console'], { stdio: 'inherit' });
    server = await startTestServer({
      env: { BOOTSTRAP_ADMIN_USERNAME: operator.username, BOOTSTRAP_ADMIN_PASSWORD: operator.password },
    });
    visitor = await launchVisitor();
    await visitor.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.publicUrl });
    page = await visitor.context.newPage();
    page.setDefaultTimeout(10_000);
    problems = watchProblems(page);
  });

  afterAll(async () => {
    await visitor?.close();
    await server?.close();
  });

  it('is served under a strict CSP, deep links included', async () => {
    const response = await fetch(`${server.url}/console/t/acme/users/some-id`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).toContain('<base href="/console/"');
    expect(html).not.toMatch(/<script>|<style|style="/);
  });

  it('an operator signs in through the system tenant and lands on the tenant list', async () => {
    await page.goto(consoleUrl());
    await heading(page, 'Identity console');
    await check('01-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await signIn(page, operator.username, operator.password);
    await heading(page, 'Tenants');
    // The heading shows before the list has loaded: wait for the row rather than count at once.
    await page
      .getByRole('cell', { name: /System/ })
      .first()
      .waitFor();
    await check('02-tenants');
  });

  it('creates a tenant and sees its dashboard', async () => {
    await page.getByRole('button', { name: 'Create tenant' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a tenant' });
    await dialog.getByLabel('Slug').fill('Not A Slug');
    await dialog.getByLabel('Display name').fill('Acme');
    await dialog.getByRole('button', { name: 'Create tenant' }).click();
    // The API's own message, next to the field.
    await dialog.getByText(/slug must match/).waitFor();
    await check('03-create-tenant-error');
    await dialog.getByLabel('Slug').fill('acme');
    await dialog.getByRole('button', { name: 'Create tenant' }).click();
    await heading(page, 'Acme');
    await page.getByText('Active sessions').waitFor();
    await check('04-dashboard');
  });

  it('creates a service client, copies its secret from the page, and the secret gets a token', async () => {
    await nav('Applications');
    await page.getByRole('button', { name: 'Create application' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('backend');
    await dialog.getByLabel(/Service \(machine to machine\)/).check();
    await dialog.getByLabel('Redirect URIs', { exact: true }).waitFor({ state: 'detached' });
    await dialog.getByRole('button', { name: 'Create application' }).click();
    await dialog.getByText('Copy this client secret now.').waitFor();
    await check('05-application-secret');
    await dialog.getByRole('button', { name: 'Copy client secret' }).click();
    await dialog.getByText('Copied').waitFor();
    const secret = await page.evaluate(() => (globalThis as any).navigator.clipboard.readText() as Promise<string>);
    expect(secret).toBe(await dialog.getByTestId('secret-value').textContent());
    const clientId = (await dialog.locator('p code').first().textContent())!;

    const token = await clientCredentials(clientId, secret);
    expect(token.status).toBe(200);
    expect(((await token.json()) as { access_token?: string }).access_token).toEqual(expect.any(String));

    await dialog.getByRole('link', { name: 'Open the application' }).click();
    await heading(page, 'backend');

    // Rotation: the new secret is shown once, the old one stops at once.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByText('Copy this client secret now.').waitFor();
    const rotated = (await page.getByTestId('secret-value').textContent())!;
    expect(rotated).not.toBe(secret);
    expect((await clientCredentials(clientId, secret)).status).toBe(401);
    expect((await clientCredentials(clientId, rotated)).status).toBe(200);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByText(`${server.publicUrl}/t/acme/.well-known/openid-configuration`).waitFor();
    await page.getByText('clientCredentialsGrant', { exact: false }).waitFor();
    await check('06-application-detail');
  });

  it('the built-in console client is listed but offers no change', async () => {
    await nav('Applications');
    await page.getByRole('link', { name: 'Admin console' }).click();
    await heading(page, 'Admin console');
    await expect(page.getByRole('button', { name: /Delete|Rotate|Save/ }).count()).resolves.toBe(0);
  });

  it('creates an API resource with scopes', async () => {
    await nav('API resources');
    await page.getByRole('button', { name: 'Create API resource' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Identifier').fill('https://api.acme.example');
    await dialog.getByLabel('Name').fill('Acme API');
    await dialog.getByLabel('Scopes').fill('read write');
    await dialog.getByRole('button', { name: 'Create resource' }).click();
    await page.getByRole('cell', { name: 'https://api.acme.example' }).waitFor();
    await check('07-resources');
  });

  it('creates a role that includes viewer, and shows its tree and effective permissions', async () => {
    await nav('Roles');
    await page.getByRole('button', { name: 'Create role' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('support');
    await dialog.getByLabel('Description').fill('Helps users');
    await dialog.getByLabel('Permissions').fill('sessions:write');
    await dialog.getByLabel('viewer').check();
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await heading(page, 'Role “support”');
    const effective = page.getByRole('region', { name: 'Effective permissions' });
    await effective.getByText('sessions:write').waitFor();
    await effective.getByText('users:read').waitFor();
    await page.getByRole('region', { name: 'Includes' }).getByText('guest').waitFor();
    await check('08-role-detail');
    await nav('Roles');
    await check('09-roles');
  });

  it('creates a user and assigns the role', async () => {
    await nav('Users');
    await page.getByRole('button', { name: 'Create user' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Username').fill('bob');
    await dialog.getByLabel('Email', { exact: true }).fill('bob@acme.example');
    await dialog.getByLabel('Initial password').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await heading(page, 'bob');
    const roles = page.getByRole('region', { name: 'Roles' });
    await roles.getByLabel(/^support/).check();
    await roles.getByRole('button', { name: 'Save roles' }).click();
    await roles.getByText('Roles saved').waitFor();
    await check('10-user-detail');
  });

  it('ends the session the user signed in with: their console must sign in again', async () => {
    const bob = await launchVisitor();
    try {
      const bobPage = await bob.context.newPage();
      await bobPage.goto(consoleUrl('?tenant=acme'));
      await signIn(bobPage, 'bob', PASSWORD);
      // bob holds support → viewer: he reads, but the dashboard's stats need tenants:read.
      await heading(bobPage, 'acme');
      await bobPage.getByRole('link', { name: 'Users', exact: true }).waitFor();
      await expect(bobPage.getByRole('button', { name: 'Create user' }).count()).resolves.toBe(0);

      await page.reload();
      await heading(page, 'bob');
      const sessions = page.getByRole('region', { name: 'Sessions' });
      const row = sessions.getByRole('row', { name: /Chrome/ });
      await row.waitFor();
      await row.getByText('127.0.0.1').waitFor();
      await check('11-user-sessions');
      await row.getByRole('button', { name: /End session/ }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
      await sessions.getByText('No active sessions').waitFor();

      // Signed out there: a reload finds no session and shows the sign-in page.
      await bobPage.reload();
      await bobPage.getByLabel('Username').waitFor();
    } finally {
      await bob.close();
    }
  });

  it('shows the audit trail newest first, an admin change before and after, and verifies the chain', async () => {
    await nav('Audit trail');
    const first = page.getByRole('row').nth(1);
    await expect(first.getByRole('button').textContent()).resolves.toBe('admin.sessions.delete');
    await page.getByRole('button', { name: 'admin.roles.put' }).first().click();
    const detail = page.getByRole('dialog');
    await detail.getByRole('table', { name: 'Changes' }).waitFor();
    await detail.getByRole('rowheader', { name: 'roles' }).waitFor();
    await check('12-audit-event');
    await page.keyboard.press('Escape');
    await expect(detail.isVisible()).resolves.toBe(false);

    await page.getByLabel('Event type').fill('admin.users.post');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByRole('button', { name: 'admin.sessions.delete' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText(/Chain intact: \d+ events verified/).waitFor();
    await check('13-audit');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export NDJSON' }).click();
    const file = await (await download).path();
    const events = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.type === 'admin.users.post')).toBe(true);
  });

  it('refuses an invalid setting with the API’s message next to the field, then saves a valid one', async () => {
    await nav('Settings');
    const threshold = page.getByLabel('Wrong passwords before lockout');
    await threshold.fill('1');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const error = page.getByText('settings.lockout.threshold must not be less than 3');
    await error.waitFor();
    // Tied to its field, so a screen reader reads it with the input.
    const describedBy = (await threshold.getAttribute('aria-describedby'))!;
    expect(await error.getAttribute('id')).toBe(describedBy.split(' ').pop());
    // …and focus went to it.
    expect(await threshold.evaluate((input) => input === (globalThis as any).document.activeElement)).toBe(true);
    await check('14-settings-error');
    await threshold.fill('5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved. Every instance uses the new settings now.').waitFor();
    const tenant = await server.adminApi('GET', '/admin/tenants/acme');
    expect(tenant.body.settings.lockout.threshold).toBe(5);
  });

  it('creates a webhook endpoint, shows its signing secret once, and lists it', async () => {
    await nav('Webhooks');
    await page.getByRole('button', { name: 'Create endpoint' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('URL').fill('https://hooks.acme.example/idp');
    await dialog.getByLabel('Event types').fill('user.*');
    await dialog.getByRole('button', { name: 'Create endpoint' }).click();
    await dialog.getByText('Copy this signing secret now.').waitFor();
    expect((await dialog.getByTestId('secret-value').textContent())!.length).toBeGreaterThanOrEqual(32);
    await dialog.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('link', { name: 'https://hooks.acme.example/idp' }).click();
    await heading(page, 'Webhook endpoint');
    await page.getByRole('region', { name: 'Delivery log' }).waitFor();
    await check('15-webhook-detail');
    await nav('Webhooks');
    await check('16-webhooks');
  });

  it('the dashboard charts sign-ins and tokens per hour', async () => {
    await nav('Dashboard', 'Acme');
    await page.getByRole('img', { name: 'Tokens issued per hour, last 24 h' }).waitFor();
    await check('17-dashboard-activity');
  });

  it('signs out through the tenant’s logout page and comes back signed out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(consoleUrl());
    await heading(page, 'Identity console');
    await page.getByLabel('Tenant').waitFor();
  });

  it('logged no CSP violation and no page error on the way', () => {
    expect(problems).toEqual([]);
  });
});
