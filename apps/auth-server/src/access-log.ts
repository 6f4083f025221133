import { type DestinationStream, type LevelWithSilent, levels } from 'pino';

export interface AccessLogEntry {
  id: string;
  method: string;
  /** Without the query string: it can carry codes and tokens. */
  path: string;
  statusCode: number;
  responseTimeMs: number;
  /** The client went away before the whole answer was sent. */
  aborted: boolean;
}

const SERVICE = 'auth-server';

/**
 * One JSON line per request, in the shape pino writes for the application log (same level
 * numbers, `time`, `service`, `reqId`, `msg`), so one log pipeline reads both. The fields are
 * fixed, so the line is written out directly: on the token endpoint the generic logger
 * (mixin, merge, serialization) cost a visible share of a request (docs/performance.md).
 * Completed requests log at info, answers ≥ 500 at error, aborted ones at warn.
 */
export function accessLogWriter(level: LevelWithSilent, destination: DestinationStream) {
  const threshold = level === 'silent' ? Infinity : levels.values[level];
  const info = levels.values.info;
  const warn = levels.values.warn;
  const error = levels.values.error;
  return (entry: AccessLogEntry): void => {
    const [value, msg] = entry.aborted
      ? [warn, 'request aborted']
      : entry.statusCode >= 500
        ? [error, 'request errored']
        : [info, 'request completed'];
    if (value < threshold) return;
    const id = JSON.stringify(entry.id);
    destination.write(
      `{"level":${value},"time":${Date.now()},"service":"${SERVICE}","reqId":${id},` +
        `"req":{"id":${id},"method":${JSON.stringify(entry.method)},"path":${JSON.stringify(entry.path)}},` +
        `"res":{"statusCode":${entry.statusCode}},"responseTime":${entry.responseTimeMs},"msg":"${msg}"}\n`,
    );
  };
}
