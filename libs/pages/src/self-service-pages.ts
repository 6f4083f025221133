import { alert, csrfField, escapeHtml, layout } from './layout.js';

interface FormPage {
  tenantName: string;
  stylesheetHref: string;
  action: string;
  csrfToken: string;
}

function backLink(href?: string): string {
  return href ? `<p class="links"><a href="${escapeHtml(href)}">Back to sign in</a></p>` : '';
}

/** "Create account" inside a running sign-in: on success the sign-in simply continues. */
export function renderRegisterPage(
  p: FormPage & { username?: string; email?: string; error?: string; loginHref: string; hint?: string },
): string {
  return layout({
    title: `Create account · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    body: `<h1>Create account</h1>
<p class="subtitle">${escapeHtml(p.tenantName)}</p>
${alert(p.error)}
<form method="post" action="${escapeHtml(p.action)}" autocomplete="on">
${csrfField(p.csrfToken)}
<label for="username">Username</label>
<input type="text" id="username" name="username" value="${escapeHtml(p.username ?? '')}" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
<label for="email">Email</label>
<input type="email" id="email" name="email" value="${escapeHtml(p.email ?? '')}" autocomplete="email" required>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="new-password" required>
${p.hint ? `<p class="hint">${escapeHtml(p.hint)}</p>` : ''}
<div class="actions"><button type="submit">Create account</button></div>
</form>
${backLink(p.loginHref)}`,
  });
}

/** `uid`: the sign-in the user came from, carried along so the notice can link back to it. */
export function renderForgotPasswordPage(
  p: FormPage & { login?: string; error?: string; loginHref?: string; uid?: string },
): string {
  return layout({
    title: `Reset password · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    body: `<h1>Forgot your password?</h1>
<p class="subtitle">${escapeHtml(p.tenantName)}</p>
${alert(p.error)}
<p>Enter your username or email address. If it belongs to an account, we will mail a link to choose a new password.</p>
<form method="post" action="${escapeHtml(p.action)}">
${csrfField(p.csrfToken)}
${p.uid ? `<input type="hidden" name="uid" value="${escapeHtml(p.uid)}">\n` : ''}<label for="login">Username or email</label>
<input type="text" id="login" name="login" value="${escapeHtml(p.login ?? '')}" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus>
<div class="actions"><button type="submit">Send reset link</button></div>
</form>
${backLink(p.loginHref)}`,
  });
}

export function renderResetPasswordPage(p: FormPage & { token: string; error?: string; hint?: string }): string {
  return layout({
    title: `Choose a new password · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    body: `<h1>Choose a new password</h1>
<p class="subtitle">${escapeHtml(p.tenantName)}</p>
${alert(p.error)}
<form method="post" action="${escapeHtml(p.action)}">
${csrfField(p.csrfToken)}
<input type="hidden" name="token" value="${escapeHtml(p.token)}">
<label for="password">New password</label>
<input type="password" id="password" name="password" autocomplete="new-password" required autofocus>
${p.hint ? `<p class="hint">${escapeHtml(p.hint)}</p>` : ''}
<div class="actions"><button type="submit">Set password</button></div>
</form>`,
  });
}

/** A button, not an automatic action: mail scanners that open links must not use them up. */
export function renderVerifyEmailPage(p: FormPage & { token: string }): string {
  return layout({
    title: `Verify email · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    body: `<h1>Verify your email address</h1>
<p class="subtitle">${escapeHtml(p.tenantName)}</p>
<form method="post" action="${escapeHtml(p.action)}">
${csrfField(p.csrfToken)}
<input type="hidden" name="token" value="${escapeHtml(p.token)}">
<div class="actions"><button type="submit">Verify my email</button></div>
</form>`,
  });
}

/** The end of a self-service step ("check your mail", "password changed", ...). */
export function renderNoticePage(p: {
  tenantName: string;
  stylesheetHref: string;
  title: string;
  message: string;
  loginHref?: string;
}): string {
  return layout({
    title: `${p.title} · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    body: `<h1>${escapeHtml(p.title)}</h1>
<p class="subtitle">${escapeHtml(p.tenantName)}</p>
<p>${escapeHtml(p.message)}</p>
${backLink(p.loginHref)}`,
  });
}
