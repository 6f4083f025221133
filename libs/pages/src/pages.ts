import { alert, csrfField, escapeHtml, layout, passkeyButton, passkeyFields } from './layout.js';

interface PageBase {
  tenantName: string;
  stylesheetHref: string;
}

interface FormPage extends PageBase {
  action: string;
  csrfToken: string;
}

/**
 * The password form; with `passkey`, the same form also carries a "Use a passkey"
 * button that only JavaScript reveals (the step stays one form, and without JS it is the
 * plain password form). Its label leaves out "Sign in" on purpose: whatever finds the
 * password button by its name (a screen reader's list, a test) still finds exactly one.
 */
export function renderLoginPage(
  p: FormPage & {
    clientName: string;
    username?: string;
    error?: string;
    forgotHref?: string;
    registerHref?: string;
    passkey?: { options: string; action: string };
    scriptHrefs?: string[];
    /** Upstream identity providers: one submit button each, in the same form (no JavaScript needed). */
    providers?: { alias: string; displayName: string }[];
  },
): string {
  // formnovalidate: choosing a provider must not require the username and password fields.
  const providers = p.providers?.length
    ? `\n<p class="divider">or</p>\n<div class="providers">${p.providers
        .map(
          (provider) =>
            `<button type="submit" class="secondary" name="provider" value="${escapeHtml(provider.alias)}" formnovalidate>Continue with ${escapeHtml(provider.displayName)}</button>`,
        )
        .join('\n')}</div>`
    : '';
  const links = [
    p.forgotHref ? `<a href="${escapeHtml(p.forgotHref)}">Forgot password?</a>` : '',
    p.registerHref ? `<a href="${escapeHtml(p.registerHref)}">Create account</a>` : '',
  ].filter(Boolean);
  const passkey = p.passkey
    ? `\n<p class="divider" data-passkey-box hidden>or</p>\n${passkeyButton({ kind: 'authenticate', label: 'Use a passkey', secondary: true, ...p.passkey })}`
    : '';
  return layout({
    title: `Sign in · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    scriptHrefs: p.passkey ? p.scriptHrefs : undefined,
    body: `<h1>Sign in</h1>
<p class="subtitle">to continue to ${escapeHtml(p.clientName)} · ${escapeHtml(p.tenantName)}</p>
${alert(p.error)}
<form method="post" action="${escapeHtml(p.action)}" autocomplete="on">
${csrfField(p.csrfToken)}${p.passkey ? `\n${passkeyFields()}` : ''}
<label for="username">Username</label>
<input type="text" id="username" name="username" value="${escapeHtml(p.username ?? '')}" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Sign in</button></div>${passkey}${providers}
</form>
${links.length ? `<p class="links">${links.join(' ')}</p>` : ''}`,
  });
}

const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Know who you are',
  profile: 'See your username and profile',
  email: 'See your email address',
  offline_access: 'Stay signed in and act for you when you are not using it',
  roles: 'See your roles and permissions',
};

export function renderConsentPage(
  p: FormPage & { clientName: string; scopes: string[]; resources?: { identifier: string; scopes: string[] }[] },
): string {
  const items = p.scopes.map((s) => `<li>${escapeHtml(SCOPE_DESCRIPTIONS[s] ?? s)}</li>`);
  for (const resource of p.resources ?? []) {
    const scopes = resource.scopes.length ? resource.scopes.map(escapeHtml).join(', ') : 'basic access';
    items.push(`<li>Use <code>${escapeHtml(resource.identifier)}</code> on your behalf (${scopes})</li>`);
  }
  return layout({
    title: `Authorize ${p.clientName} · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    body: `<h1>Authorize ${escapeHtml(p.clientName)}</h1>
<p class="subtitle">${escapeHtml(p.tenantName)}</p>
<p>${escapeHtml(p.clientName)} would like to:</p>
<ul class="scopes">${items.join('')}</ul>
<form method="post" action="${escapeHtml(p.action)}">
${csrfField(p.csrfToken)}
<div class="actions">
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
<button type="submit" name="decision" value="approve">Allow</button>
</div>
</form>`,
  });
}

/** `formHtml` is oidc-provider's own logout form (trusted: it carries the xsrf field). */
export function renderLogoutPage(p: PageBase & { clientName?: string; formHtml: string }): string {
  return layout({
    title: `Sign out · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    body: `<h1>Do you want to sign out?</h1>
<p class="subtitle">${p.clientName ? `from ${escapeHtml(p.clientName)} · ` : ''}${escapeHtml(p.tenantName)}</p>
${p.formHtml}
<div class="actions">
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
</div>`,
  });
}

export function renderLoggedOutPage(p: PageBase): string {
  return layout({
    title: `Signed out · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    body: `<h1>You are signed out</h1><p class="subtitle">${escapeHtml(p.tenantName)}</p><p>You can close this window.</p>`,
  });
}

export function renderErrorPage(p: { title: string; message: string; stylesheetHref: string }): string {
  return layout({
    title: p.title,
    stylesheetHref: p.stylesheetHref,
    body: `<h1>${escapeHtml(p.title)}</h1>${alert(p.message)}`,
  });
}
