import escapeHtml from 'escape-html';

export { escapeHtml };

/**
 * The frame of every page: no inline script and no inline style, so the CSP can forbid both;
 * the look comes from the one stylesheet served at `stylesheetHref`, and pages with passkey
 * buttons load our two scripts (`scriptHrefs`) from the same origin.
 */
export function layout(options: {
  title: string;
  stylesheetHref: string;
  body: string;
  scriptHrefs?: string[];
}): string {
  const scripts = (options.scriptHrefs ?? [])
    .map((src) => `\n<script src="${escapeHtml(src)}" defer></script>`)
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="${escapeHtml(options.stylesheetHref)}">${scripts}
</head>
<body>
<main class="card">
${options.body}
</main>
</body>
</html>`;
}

export function alert(message?: string): string {
  return message ? `<p class="alert" role="alert">${escapeHtml(message)}</p>` : '';
}

export function csrfField(token: string): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(token)}">`;
}

export const PAGE_STYLESHEET = `
:root { color-scheme: light dark; --accent: #2454d6; --fg: #1b1f24; --muted: #57606a; --bg: #f4f6f8; --card: #fff; --border: #d0d7de; --danger: #b42318; }
@media (prefers-color-scheme: dark) { :root { --accent: #6f9bff; --fg: #e6edf3; --muted: #9da7b1; --bg: #0d1117; --card: #161b22; --border: #30363d; --danger: #ff7b72; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--fg);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; padding: 1rem; }
.card { width: 100%; max-width: 24rem; background: var(--card); border: 1px solid var(--border); border-radius: 12px; padding: 2rem; }
h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
.subtitle { color: var(--muted); margin: 0 0 1.5rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .35rem; }
input[type=text], input[type=password], input[type=email] { width: 100%; padding: .6rem .75rem; font: inherit; color: inherit; background: transparent;
  border: 1px solid var(--border); border-radius: 8px; }
input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.hint { color: var(--muted); font-size: .875rem; margin: .35rem 0 0; }
.actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
button { flex: 1; padding: .65rem 1rem; font: inherit; font-weight: 600; border-radius: 8px; cursor: pointer;
  border: 1px solid var(--accent); background: var(--accent); color: #fff; }
button.secondary { background: transparent; color: var(--fg); border-color: var(--border); }
.alert { border: 1px solid var(--danger); color: var(--danger); border-radius: 8px; padding: .6rem .75rem; margin: 0 0 1rem; }
ul.scopes { padding-left: 1.25rem; margin: .5rem 0 0; }
ul.scopes li { margin: .25rem 0; }
code { font-size: .875em; word-break: break-all; }
img.qr { display: block; margin: 1rem auto; background: #fff; padding: 8px; border-radius: 8px; }
ul.codes { columns: 2; padding-left: 1.25rem; }
a { color: var(--accent); }
.divider { color: var(--muted); text-align: center; margin: 1rem 0 0; font-size: .875rem; }
.links { display: flex; justify-content: space-between; gap: .75rem; margin: 1.25rem 0 0; font-size: .875rem; }
`;

/** Where the pages' one stylesheet is served (AssetsController), under PUBLIC_URL's path. */
export function stylesheetHref(publicUrl: string): string {
  return `${new URL(publicUrl).pathname.replace(/\/$/, '')}/assets/style.css`;
}

/** The scripts of pages with passkey buttons: @simplewebauthn/browser, then ours (AssetsController). */
export function passkeyScriptHrefs(publicUrl: string): string[] {
  const base = `${new URL(publicUrl).pathname.replace(/\/$/, '')}/assets`;
  return [`${base}/webauthn.js`, `${base}/passkeys.js`];
}

/**
 * A passkey button inside a step's form: hidden (with its box) until the script finds
 * WebAuthn support; it posts the authenticator's answer, in the form's `response` field, to
 * `action`. `options` answers the ceremony's options as JSON.
 */
export function passkeyButton(p: {
  kind: 'authenticate' | 'register';
  label: string;
  options: string;
  action: string;
  secondary?: boolean;
}): string {
  return `<div class="actions" data-passkey-box hidden><button type="submit"${p.secondary ? ' class="secondary"' : ''} data-passkey="${p.kind}" data-passkey-options="${escapeHtml(p.options)}" formaction="${escapeHtml(p.action)}" formnovalidate>${escapeHtml(p.label)}</button></div>`;
}

/** Where the script reports a cancelled or failed ceremony, and the field it fills. */
export function passkeyFields(): string {
  return `<input type="hidden" name="response" value="">
<p class="alert" role="alert" data-passkey-error hidden></p>`;
}
