import type { LoggerService } from '@nestjs/common';
import { type DestinationStream, pino, type Logger } from 'pino';
import { batchedLines } from './line-batch.js';

/** Field names that must never be logged, at any of the first two levels of a log object. */
const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  'clientSecret',
  'client_secret',
  'secret',
  'authorization',
  'cookie',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
];

/**
 * JSON lines on stdout (or `destination`), buffered: a line per request written with its own
 * system call cost more CPU than the token it described. Lines go out in ~4 KB chunks, at the
 * latest a second after they were logged, and when the process exits; a hard crash can lose
 * the last few kilobytes of log, never an audit event (Postgres). Each chunk is written
 * synchronously, as pino does by default: handing it to libuv's thread pool instead cost
 * 6.5 µs of CPU per logged line against 2.7 µs (docs/performance.md, sixth pass).
 */
export function logDestination(destination?: DestinationStream): DestinationStream {
  return destination ?? batchedLines(pino.destination({ dest: 1, sync: true }), 1);
}

/**
 * Readable lines for a person at a terminal: `LOG_FORMAT=pretty`, or LOG_FORMAT unset with
 * stdout a TTY outside production. Log shippers get JSON lines (the config refuses pretty
 * in production). pino-pretty is loaded only then.
 */
export function wantsPrettyLogs(format: 'json' | 'pretty' | undefined, production: boolean, stdoutIsTty: boolean) {
  return format === 'pretty' || (format === undefined && !production && stdoutIsTty);
}

export async function prettyDestination(): Promise<DestinationStream> {
  const { default: pretty } = await import('pino-pretty');
  return pretty({
    destination: 1,
    sync: true,
    colorize: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,context,reqId,req,res,responseTime',
    messageFormat:
      '{if context}[{context}] {end}{if req.method}{req.method} {req.path} → {res.statusCode} ({responseTime} ms) {end}{msg}',
  });
}

/** Nest's own start-up chatter (every module and route) is for debugging, not for the first screen. */
const NEST_START_UP = new Set(['NestFactory', 'InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestApplication']);

/**
 * The application logger. Secrets never reach it on purpose; redaction is the second wall
 * for anything logged by hand. Every line logged while a request is served carries its id
 * (`reqId`), as `currentRequestId` tells it.
 */
export function createLogger(
  level: string,
  destination: DestinationStream,
  currentRequestId: () => string | undefined,
): Logger {
  return pino(
    {
      level,
      base: { service: 'auth-server' },
      mixin: () => {
        const reqId = currentRequestId();
        return reqId ? { reqId } : {};
      },
      redact: {
        paths: [
          ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
          '*.headers.authorization',
          '*.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Routes Nest's own log lines through pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    if (context && NEST_START_UP.has(context)) this.logger.debug({ context }, String(message));
    else this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    // Only name, message and stack: driver errors carry extra fields (SQL parameters) that may hold secrets.
    if (message instanceof Error) {
      this.logger.error(
        { context, err: { type: message.name, message: message.message, stack: message.stack } },
        message.message,
      );
    } else this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
