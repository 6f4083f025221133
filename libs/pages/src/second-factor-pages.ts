import { alert, csrfField, escapeHtml, layout, passkeyButton, passkeyFields } from './layout.js';

interface FormPage {
  tenantName: string;
  stylesheetHref: string;
  action: string;
  csrfToken: string;
  /** Loaded only by pages that show a passkey button. */
  scriptHrefs?: string[];
}

/** A passkey ceremony: where its options come from and where the answer is posted. */
export interface PasskeyCeremony {
  options: string;
  action: string;
}

/** The second factors a user can choose from on the verification page. */
export interface SecondFactorChoice {
  /** An authenticator app (and its recovery codes). */
  totp: boolean;
  /** Codes by email: where they go (masked) and the action that sends one. */
  email?: { to: string; send: string };
  passkey?: PasskeyCeremony;
}

function secondary(label: string, formaction: string): string {
  return `<button type="submit" class="secondary" formaction="${escapeHtml(formaction)}" formnovalidate>${escapeHtml(label)}</button>`;
}

/**
 * The second step after the password: one form whose main field is `code` (an authenticator
 * or recovery code, or an emailed code in `email` mode); the other factors the user has are
 * buttons in the same form (the passkey one only with JavaScript).
 */
export function renderMfaPage(
  p: FormPage & {
    error?: string;
    notice?: string;
    mode?: 'totp' | 'email' | 'passkey';
    factors?: SecondFactorChoice;
    /** The page in authenticator mode (when the email mode is showing). */
    totpHref?: string;
  },
): string {
  const factors = p.factors ?? { totp: true };
  const mode = p.mode ?? 'totp';
  const email = factors.email;
  const parts: string[] = [];
  if (mode === 'totp') {
    parts.push(`<label for="code">Code from your authenticator app</label>
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus>
<p class="hint">No phone at hand? Enter one of your recovery codes instead.</p>
<div class="actions"><button type="submit">Verify</button></div>`);
    if (email) parts.push(`<div class="actions">${secondary('Email me a code instead', email.send)}</div>`);
  } else if (mode === 'email' && email) {
    parts.push(`<input type="hidden" name="factor" value="email">
<label for="code">Code we sent to ${escapeHtml(email.to)}</label>
<input type="text" id="code" name="code" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus>
<p class="hint">The code works once, for 10 minutes.</p>
<div class="actions"><button type="submit">Verify</button></div>
<div class="actions">${secondary('Send a new code', email.send)}</div>`);
  } else {
    parts.push(`<p>Confirm it is you with your passkey.</p>
<noscript><p class="alert">Passkeys need JavaScript. Please enable it, or use another browser.</p></noscript>`);
  }
  if (factors.passkey)
    parts.push(
      passkeyButton({
        kind: 'authenticate',
        label: mode === 'passkey' ? 'Use my passkey' : 'Use a passkey instead',
        secondary: mode !== 'passkey',
        ...factors.passkey,
      }),
    );
  const links =
    mode === 'email' && factors.totp && p.totpHref
      ? `<p class="links"><a href="${escapeHtml(p.totpHref)}">Use my authenticator app instead</a></p>`
      : '';
  return layout({
    title: `Verification · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    scriptHrefs: factors.passkey ? p.scriptHrefs : undefined,
    body: `<h1>Two-step verification</h1>
<p class="subtitle">${escapeHtml(p.tenantName)}</p>
${alert(p.error)}${p.notice ? `\n<p class="hint" role="status">${escapeHtml(p.notice)}</p>` : ''}
<form method="post" action="${escapeHtml(p.action)}">
${csrfField(p.csrfToken)}${factors.passkey ? `\n${passkeyFields()}` : ''}
${parts.join('\n')}
</form>
${links}`,
  });
}

/**
 * Sign-in time enrolment (the tenant or the client asks for a second factor): scan a TOTP
 * secret and prove it works — or, in the same form, choose codes by email (a verified
 * address) or a passkey instead.
 */
export function renderMfaEnrollPage(
  p: FormPage & {
    qrCodeDataUrl: string;
    secret: string;
    error?: string;
    alternatives?: { email?: { to: string; send: string }; passkey?: PasskeyCeremony };
  },
): string {
  const alternatives = p.alternatives ?? {};
  const others = [
    alternatives.email
      ? `<div class="actions">${secondary(`Send codes to ${alternatives.email.to} instead`, alternatives.email.send)}</div>`
      : '',
    alternatives.passkey
      ? passkeyButton({ kind: 'register', label: 'Use a passkey instead', secondary: true, ...alternatives.passkey })
      : '',
  ].filter(Boolean);
  return layout({
    title: `Set up two-step verification · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    scriptHrefs: alternatives.passkey ? p.scriptHrefs : undefined,
    body: `<h1>Set up two-step verification</h1>
<p class="subtitle">${escapeHtml(p.tenantName)} asks for a second factor.</p>
${alert(p.error)}
<p>Scan this code with an authenticator app, then enter the 6-digit code it shows.</p>
<img class="qr" src="${escapeHtml(p.qrCodeDataUrl)}" alt="QR code for your authenticator app" width="200" height="200">
<p class="hint">Can't scan? Enter this key: <code>${escapeHtml(p.secret)}</code></p>
<form method="post" action="${escapeHtml(p.action)}">
${csrfField(p.csrfToken)}${alternatives.passkey ? `\n${passkeyFields()}` : ''}
<label for="code">Code from your authenticator app</label>
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required autofocus>
<div class="actions"><button type="submit">Verify and continue</button></div>
${others.length ? `<p class="divider">or</p>\n${others.join('\n')}` : ''}
</form>`,
  });
}

/** Shown once, right after enrollment; only their hashes are kept. */
export function renderRecoveryCodesPage(p: FormPage & { codes: string[] }): string {
  return layout({
    title: `Recovery codes · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    body: `<h1>Save your recovery codes</h1>
<p class="subtitle">Each works once if you lose your authenticator. They will not be shown again.</p>
<ul class="codes">${p.codes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('')}</ul>
<form method="post" action="${escapeHtml(p.action)}">
${csrfField(p.csrfToken)}
<div class="actions"><button type="submit">I saved them, continue</button></div>
</form>`,
  });
}

/**
 * After a password sign-in (when the tenant offers it): create a passkey to skip the
 * password next time, or go on; `decision` later / never (on this device).
 */
export function renderPasskeyOfferPage(p: FormPage & { passkey: PasskeyCeremony; error?: string }): string {
  return layout({
    title: `Sign in faster · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    scriptHrefs: p.scriptHrefs,
    body: `<h1>Sign in faster next time</h1>
<p class="subtitle">${escapeHtml(p.tenantName)}</p>
${alert(p.error)}
<p>Create a passkey: next time you sign in with your fingerprint, face or screen lock instead of your password. It stays on your device (or your password manager) and cannot be phished.</p>
<form method="post" action="${escapeHtml(p.action)}">
${csrfField(p.csrfToken)}
${passkeyFields()}
${passkeyButton({ kind: 'register', label: 'Create a passkey', ...p.passkey })}
<div class="actions">
<button type="submit" name="decision" value="never" class="secondary">Don't ask again here</button>
<button type="submit" name="decision" value="later" class="secondary">Not now</button>
</div>
</form>`,
  });
}

/** The password is older than the tenant allows: a new one before the sign-in goes on. */
export function renderPasswordChangePage(p: FormPage & { error?: string; hint?: string }): string {
  return layout({
    title: `Choose a new password · ${p.tenantName}`,
    stylesheetHref: p.stylesheetHref,
    body: `<h1>Choose a new password</h1>
<p class="subtitle">Your password has expired. ${escapeHtml(p.tenantName)} asks you to choose a new one before you continue.</p>
${alert(p.error)}
<form method="post" action="${escapeHtml(p.action)}" autocomplete="on">
${csrfField(p.csrfToken)}
<label for="newPassword">New password</label>
<input type="password" id="newPassword" name="newPassword" autocomplete="new-password" required autofocus>
<label for="confirmPassword">New password again</label>
<input type="password" id="confirmPassword" name="confirmPassword" autocomplete="new-password" required>
${p.hint ? `<p class="hint">${escapeHtml(p.hint)}</p>` : ''}
<div class="actions"><button type="submit">Change password and continue</button></div>
</form>`,
  });
}
