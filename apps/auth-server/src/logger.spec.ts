import { createLogger } from './logger.js';

describe('logger redaction', () => {
  function logged(write: (logger: ReturnType<typeof createLogger>) => void): string {
    const lines: string[] = [];
    write(createLogger('trace', { write: (line: string) => lines.push(line) }, () => undefined));
    return lines.join('');
  }

  it('censors credentials logged by hand, at the top level and one level down', () => {
    const out = logged((logger) => {
      logger.info({ password: 'p@ss-1', token: 'tok-2', code: 'code-3' }, 'top');
      logger.info({ body: { client_secret: 'sec-4', refresh_token: 'rt-5', newPassword: 'np-6' } }, 'nested');
      logger.info({ req: { headers: { authorization: 'Bearer at-7', cookie: '_session=ck-8' } } }, 'headers');
    });
    for (const secret of ['p@ss-1', 'tok-2', 'code-3', 'sec-4', 'rt-5', 'np-6', 'at-7', 'ck-8'])
      expect(out).not.toContain(secret);
    expect(out.match(/\[redacted\]/g)).toHaveLength(8);
  });

  it('keeps what is not a credential', () => {
    expect(logged((logger) => logger.info({ user: { username: 'alice' } }, 'hello'))).toContain('alice');
  });
});
