import { renderConsentPage, renderErrorPage, renderLoggedOutPage, renderLoginPage, renderLogoutPage } from './pages.js';
import {
  renderMfaEnrollPage,
  renderMfaPage,
  renderPasskeyOfferPage,
  renderPasswordChangePage,
  renderRecoveryCodesPage,
} from './second-factor-pages.js';

const evil = '<script>alert(1)</script>"\'&';
const base = {
  tenantName: evil,
  stylesheetHref: '/assets/style.css',
  action: '/t/a/interaction/x/login',
  csrfToken: 'tok"en',
};

const passkey = { options: `/o?${evil}`, action: `/a?${evil}` };
const scriptHrefs = ['/assets/webauthn.js', '/assets/passkeys.js'];
const email = { to: evil, send: `/s?${evil}` };

const pages = {
  login: renderLoginPage({ ...base, clientName: evil, username: evil, error: evil }),
  loginWithPasskey: renderLoginPage({ ...base, clientName: evil, error: evil, passkey, scriptHrefs }),
  mfa: renderMfaPage({ ...base, error: evil }),
  mfaAllFactors: renderMfaPage({
    ...base,
    error: evil,
    notice: evil,
    factors: { totp: true, email, passkey },
    scriptHrefs,
  }),
  mfaEmail: renderMfaPage({ ...base, error: evil, mode: 'email', factors: { totp: true, email }, totpHref: evil }),
  mfaPasskeyOnly: renderMfaPage({
    ...base,
    error: evil,
    mode: 'passkey',
    factors: { totp: false, passkey },
    scriptHrefs,
  }),
  enroll: renderMfaEnrollPage({
    ...base,
    error: evil,
    qrCodeDataUrl: 'data:image/png;base64,AAAA',
    secret: evil,
    alternatives: { email, passkey },
    scriptHrefs,
  }),
  recoveryCodes: renderRecoveryCodesPage({ ...base, codes: [evil] }),
  passkeyOffer: renderPasskeyOfferPage({ ...base, error: evil, passkey, scriptHrefs }),
  passwordChange: renderPasswordChangePage({ ...base, error: evil, hint: evil }),
  consent: renderConsentPage({
    ...base,
    clientName: evil,
    scopes: ['openid', 'offline_access', evil],
    resources: [{ identifier: evil, scopes: [evil] }],
  }),
  logout: renderLogoutPage({
    tenantName: evil,
    clientName: evil,
    stylesheetHref: '/s.css',
    formHtml: '<form id="op.logoutForm" method="post" action="/x"></form>',
  }),
  loggedOut: renderLoggedOutPage({ tenantName: evil, stylesheetHref: '/s.css' }),
  error: renderErrorPage({ title: evil, message: evil, stylesheetHref: '/s.css' }),
};

describe('pages', () => {
  it.each(Object.entries(pages))('%s escapes every value and has no inline script or style', (_name, html) => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/style=|<style|\son[a-z]+=/i);
    // Scripts only by src, from our own assets, and only on pages with a passkey button.
    for (const script of html.match(/<script[^>]*>[^<]*<\/script>/g) ?? [])
      expect(script).toMatch(/^<script src="\/assets\/(webauthn|passkeys)\.js" defer><\/script>$/);
    expect(/<script/.test(html)).toBe(/data-passkey=/.test(html));
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html.match(/<form /g) ?? []).toHaveLength(/loggedOut|error/.test(_name) ? 0 : 1);
  });

  it('login has the contract fields, one post form and the CSRF field', () => {
    const html = pages.login;
    expect(html.match(/<form /g)).toHaveLength(1);
    expect(html).not.toContain('data-passkey');
    expect(html).toContain('<form method="post" action="/t/a/interaction/x/login"');
    expect(html).toContain('<input type="hidden" name="csrf" value="tok&quot;en">');
    expect(html).toMatch(/<input type="text" id="username" name="username" value="&lt;script&gt;/);
    expect(html).toMatch(/<input type="password" id="password" name="password"/);
    expect(html).toContain('role="alert"');
  });

  it('the passkey button sits in the login form after the password button, hidden until the script shows it', () => {
    const html = pages.loginWithPasskey;
    const form = /<form [\s\S]*<\/form>/.exec(html)![0];
    expect(form.indexOf('>Sign in</button>')).toBeLessThan(form.indexOf('Use a passkey'));
    expect(form).toMatch(
      /<div class="actions" data-passkey-box hidden><button type="submit" class="secondary" data-passkey="authenticate"[^>]* formnovalidate>/,
    );
    expect(form).toContain('<input type="hidden" name="response" value="">');
    const names = [...form.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map(([, text]) => text);
    expect(names.filter((name) => /sign in/i.test(name))).toEqual(['Sign in']);
  });

  it('second factor asks for a code', () => {
    expect(pages.mfa).toMatch(/name="code"/);
    expect(pages.mfa).toContain('name="csrf"');
    expect(pages.mfa).not.toContain('formaction');
  });

  it('second factor: the other factors are buttons of the same form, the code field first', () => {
    const html = pages.mfaAllFactors;
    expect(html.indexOf('name="code"')).toBeLessThan(html.indexOf('Email me a code instead'));
    expect(html).toMatch(/formaction="\/s\?&lt;script[^"]*" formnovalidate>Email me a code instead/);
    expect(html).toContain('data-passkey="authenticate"');
    expect(pages.mfaEmail).toContain('<input type="hidden" name="factor" value="email">');
    expect(pages.mfaEmail).toContain('Use my authenticator app instead');
    expect(pages.mfaPasskeyOnly).not.toContain('name="code"');
    expect(pages.mfaPasskeyOnly).toContain('<noscript>');
  });

  it('consent offers approve and deny in one form and explains the scopes', () => {
    expect(pages.consent).toContain('<button type="submit" name="decision" value="approve">');
    expect(pages.consent).toContain('<button type="submit" name="decision" value="deny" class="secondary">');
    expect(pages.consent).toContain('Stay signed in and act for you');
    expect(pages.consent.match(/<form /g)).toHaveLength(1);
  });

  it('logout embeds the provider form and submits it', () => {
    expect(pages.logout).toContain('<form id="op.logoutForm" method="post" action="/x"></form>');
    expect(pages.logout).toContain('form="op.logoutForm" name="logout" value="yes"');
  });
});
