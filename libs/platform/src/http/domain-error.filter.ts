import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, TooManyRequestsError } from './domain-error.js';
import { isInvalidTextError } from './malformed-input.js';

const STATUS_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

function messageOf(exception: HttpException): string {
  const body = exception.getResponse();
  if (typeof body === 'string') return body;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}

/** Maps every error to `{ error, message }`; anything unexpected is logged and hidden behind a 500. */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const { status, body } = this.map(exception);
    if (exception instanceof TooManyRequestsError) response.set('retry-after', String(exception.retryAfterSeconds));
    response.status(status).json(body);
  }

  map(exception: unknown): { status: number; body: { error: string; message: string } } {
    if (exception instanceof DomainError) {
      return { status: exception.status, body: { error: exception.code, message: exception.message } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { status, body: { error: STATUS_CODES[status] ?? 'error', message: messageOf(exception) } };
    }
    // body-parser errors (invalid JSON, too large) carry a status but are not HttpExceptions.
    const status = (exception as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (exception as { type?: string }).type;
      const message =
        type === 'entity.parse.failed' ? 'the request body is not valid JSON' : 'the request body was rejected';
      return { status, body: { error: STATUS_CODES[status] ?? 'invalid_request', message } };
    }
    // Last line of defence behind the input guard: text Postgres cannot store is the client's.
    if (isInvalidTextError(exception)) {
      return {
        status: 400,
        body: { error: 'invalid_request', message: 'a value contains characters that are not allowed' },
      };
    }
    this.logger.error(exception);
    return { status: 500, body: { error: 'server_error', message: 'an unexpected error occurred' } };
  }
}
