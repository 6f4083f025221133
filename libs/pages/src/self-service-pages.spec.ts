import { renderLoginPage } from './pages.js';
import {
  renderForgotPasswordPage,
  renderNoticePage,
  renderRegisterPage,
  renderResetPasswordPage,
  renderVerifyEmailPage,
} from './self-service-pages.js';

const evil = '<script>alert(1)</script>"\'&';
const base = { tenantName: evil, stylesheetHref: '/assets/style.css', action: '/t/a/password/x', csrfToken: 'tok"en' };

const pages = {
  register: renderRegisterPage({ ...base, username: evil, email: evil, error: evil, loginHref: evil, hint: evil }),
  forgot: renderForgotPasswordPage({ ...base, login: evil, error: evil, loginHref: evil, uid: evil }),
  reset: renderResetPasswordPage({ ...base, token: evil, error: evil }),
  verify: renderVerifyEmailPage({ ...base, token: evil }),
  notice: renderNoticePage({ tenantName: evil, stylesheetHref: '/s.css', title: evil, message: evil, loginHref: evil }),
};

describe('self-service pages', () => {
  it.each(Object.entries(pages))('%s escapes every value and has no script or inline style', (_name, html) => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script|style=|<style|\son[a-z]+=/i);
  });

  it.each(Object.entries(pages).filter(([name]) => name !== 'notice'))(
    '%s is one post form with the CSRF field',
    (_name, html) => {
      expect(html.match(/<form /g)).toHaveLength(1);
      expect(html).toContain('<form method="post" action="/t/a/password/x"');
      expect(html).toContain('<input type="hidden" name="csrf" value="tok&quot;en">');
    },
  );

  it('register asks for username, email and a new password; never echoes a password', () => {
    expect(pages.register).toMatch(/name="username"/);
    expect(pages.register).toMatch(/<input type="email" id="email" name="email"/);
    expect(pages.register).toMatch(/<input type="password" id="password" name="password" autocomplete="new-password"/);
    expect(pages.register).not.toMatch(/name="password" value=/);
  });

  it('reset and verify carry the token in a hidden field', () => {
    expect(pages.reset).toContain('<input type="hidden" name="token" value="&lt;script&gt;');
    expect(pages.verify).toContain('<input type="hidden" name="token" value="&lt;script&gt;');
  });

  it('the login page links "Forgot password?" and "Create account" only when given', () => {
    const login = { ...base, clientName: 'App' };
    expect(renderLoginPage(login)).not.toMatch(/Forgot password|Create account/);
    const both = renderLoginPage({ ...login, forgotHref: '/t/a/password/forgot?uid=1&x', registerHref: '/t/a/r' });
    expect(both).toContain('<a href="/t/a/password/forgot?uid=1&amp;x">Forgot password?</a>');
    expect(both).toContain('<a href="/t/a/r">Create account</a>');
    expect(both.match(/<form /g)).toHaveLength(1);
  });
});
