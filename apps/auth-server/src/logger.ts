import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/** JSON lines on stdout; secrets never reach here (request serializers drop queries and bodies). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'auth-server' },
    redact: { paths: ['*.password', '*.clientSecret', '*.client_secret', '*.authorization'], censor: '[redacted]' },
  });
}

/** Routes Nest's own log lines through pino. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
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
