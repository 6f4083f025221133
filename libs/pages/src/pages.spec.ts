import {
  renderConsentPage,
  renderErrorPage,
  renderLoggedOutPage,
  renderLoginPage,
  renderLogoutPage,
  renderMfaPage,
} from './pages.js';

const evil = '<script>alert(1)</script>"\'&';
const base = {
  tenantName: evil,
  stylesheetHref: '/assets/style.css',
  action: '/t/a/interaction/x/login',
  csrfToken: 'tok"en',
};

const pages = {
  login: renderLoginPage({ ...base, clientName: evil, username: evil, error: evil }),
  mfa: renderMfaPage({ ...base, error: evil }),
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
  it.each(Object.entries(pages))('%s escapes every value and has no script or inline style', (_name, html) => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|style=|<style|\son[a-z]+=/i);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
  });

  it('login has the contract fields, one post form and the CSRF field', () => {
    const html = pages.login;
    expect(html.match(/<form /g)).toHaveLength(1);
    expect(html).toContain('<form method="post" action="/t/a/interaction/x/login"');
    expect(html).toContain('<input type="hidden" name="csrf" value="tok&quot;en">');
    expect(html).toMatch(/<input type="text" id="username" name="username" value="&lt;script&gt;/);
    expect(html).toMatch(/<input type="password" id="password" name="password"/);
    expect(html).toContain('role="alert"');
  });

  it('second factor asks for a code', () => {
    expect(pages.mfa).toMatch(/name="code"/);
    expect(pages.mfa).toContain('name="csrf"');
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
