import { assertWebhookUrl } from './webhook-url.js';

describe('webhook endpoint URLs', () => {
  it('accept https everywhere and http outside production', () => {
    expect(assertWebhookUrl('https://hooks.example.com/idp', true)).toBe('https://hooks.example.com/idp');
    expect(assertWebhookUrl('http://127.0.0.1:8080/hook', false)).toBe('http://127.0.0.1:8080/hook');
  });

  it.each([
    ['http in production', 'http://hooks.example.com/', true],
    ['another scheme', 'ftp://hooks.example.com/', false],
    ['credentials', 'https://user:pass@hooks.example.com/', false],
    ['a user name alone', 'https://user@hooks.example.com/', false],
    ['a fragment', 'https://hooks.example.com/#x', false],
    ['a relative URL', '/hook', false],
    ['loopback in production', 'https://127.0.0.1/hook', true],
    ['cloud metadata in production', 'https://169.254.169.254/latest', true],
    ['localhost in production', 'https://localhost/hook', true],
    ['a private IPv6 address in production', 'https://[fd00::1]/hook', true],
  ])('refuse %s', (_case, url, production) => {
    expect(() => assertWebhookUrl(url, production)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
