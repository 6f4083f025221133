import { pino } from 'pino';
import { type AccessLogEntry, accessLogWriter } from './access-log.js';

function written(level: Parameters<typeof accessLogWriter>[0], entry: AccessLogEntry): string[] {
  const lines: string[] = [];
  accessLogWriter(level, { write: (line: string) => lines.push(line) })(entry);
  return lines;
}

/** The line pino itself writes for the same request, as the access log did before. */
function pinoLine(method: 'info' | 'warn' | 'error', entry: AccessLogEntry, msg: string): Record<string, unknown> {
  const lines: string[] = [];
  const logger = pino({ level: 'trace', base: { service: 'auth-server' } }, { write: (l: string) => lines.push(l) });
  logger[method](
    {
      reqId: entry.id,
      req: { id: entry.id, method: entry.method, path: entry.path },
      res: { statusCode: entry.statusCode },
      responseTime: entry.responseTimeMs,
    },
    msg,
  );
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

const entry: AccessLogEntry = {
  id: 'req-1.a_b',
  method: 'POST',
  path: '/t/acme/token',
  statusCode: 200,
  responseTimeMs: 3,
  aborted: false,
};

describe('access log', () => {
  it('writes one JSON line with the fields and level pino writes for the same request', () => {
    const [line] = written('info', entry);
    expect(line.endsWith('}\n')).toBe(true);
    const { time, ...rest } = JSON.parse(line) as Record<string, unknown>;
    const { time: pinoTime, ...expected } = pinoLine('info', entry, 'request completed');
    expect(rest).toEqual(expected);
    expect(Object.keys(rest)).toEqual(Object.keys(expected));
    expect(time).toEqual(expect.any(Number));
    expect(Math.abs((time as number) - (pinoTime as number))).toBeLessThan(60_000);
  });

  it('logs server errors at error and aborted requests at warn', () => {
    const errored = JSON.parse(written('info', { ...entry, statusCode: 503 })[0]) as Record<string, unknown>;
    expect(errored).toMatchObject({ level: 50, msg: 'request errored', res: { statusCode: 503 } });
    const aborted = JSON.parse(written('info', { ...entry, aborted: true })[0]) as Record<string, unknown>;
    expect(aborted).toMatchObject({ level: 40, msg: 'request aborted' });
    expect(pinoLine('warn', entry, 'request aborted').level).toBe(40);
  });

  it('keeps a line valid JSON whatever the path holds', () => {
    const path = '/t/acme/"quoted"\\back\u0001\u2028é';
    const parsed = JSON.parse(written('info', { ...entry, path })[0]) as { req: { path: string } };
    expect(parsed.req.path).toBe(path);
  });

  it('writes nothing below the configured level', () => {
    expect(written('warn', entry)).toEqual([]);
    expect(written('warn', { ...entry, aborted: true })).toHaveLength(1);
    expect(written('error', { ...entry, aborted: true })).toEqual([]);
    expect(written('error', { ...entry, statusCode: 500 })).toHaveLength(1);
    expect(written('silent', { ...entry, statusCode: 500 })).toEqual([]);
  });
});
