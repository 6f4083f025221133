import { createLogger, NestPinoLogger, wantsPrettyLogs } from './logger.js';

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

describe('a first start reads well', () => {
  it("logs Nest's module and route listing at debug, the rest of Nest's lines at info", () => {
    const lines: { level: number; msg: string }[] = [];
    const logger = new NestPinoLogger(
      createLogger('info', { write: (line: string) => lines.push(JSON.parse(line)) }, () => undefined),
    );
    logger.log('AppModule dependencies initialized', 'InstanceLoader');
    logger.log('Mapped {/admin/tenants, POST} route', 'RouterExplorer');
    logger.log('Nest application successfully started', 'NestApplication');
    logger.log('created the system tenant', 'tenants');
    expect(lines.map((line) => line.msg)).toEqual(['created the system tenant']);
  });

  it('is readable on a terminal and JSON for machines and in production', () => {
    expect(wantsPrettyLogs(undefined, false, true)).toBe(true);
    expect(wantsPrettyLogs(undefined, false, false)).toBe(false);
    expect(wantsPrettyLogs(undefined, true, true)).toBe(false);
    expect(wantsPrettyLogs('json', false, true)).toBe(false);
    expect(wantsPrettyLogs('pretty', false, false)).toBe(true);
  });
});
