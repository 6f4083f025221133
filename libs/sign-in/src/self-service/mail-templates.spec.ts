import { passwordResetMail, registrationAttemptMail, verificationMail } from './mail-templates.js';

const evil = '<b>"Evil" & co</b>';
const link = 'https://id.example.com/t/acme/password/reset?token=abc_DEF-123&x=1';

describe('mail templates', () => {
  it.each([
    ['verification', verificationMail({ tenantName: evil, username: evil, link })],
    ['reset', passwordResetMail({ tenantName: evil, username: evil, link })],
    ['registration attempt', registrationAttemptMail({ tenantName: evil, username: evil, forgotLink: link })],
  ])('%s: the link on a line of its own in the text, every value escaped in the HTML', (_name, mail) => {
    expect(mail.text.split('\n')).toContain(link);
    expect(mail.html).toContain(`<a href="${link.replace('&', '&amp;')}">`);
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('&lt;b&gt;&quot;Evil&quot; &amp; co&lt;/b&gt;');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });

  it('says how long each link works', () => {
    expect(passwordResetMail({ tenantName: 't', username: 'u', link }).text).toContain('30 minutes');
    expect(verificationMail({ tenantName: 't', username: 'u', link }).text).toContain('24 hours');
  });
});
