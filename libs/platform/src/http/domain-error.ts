/**
 * Every expected failure is a DomainError with a stable machine `code` and an HTTP status;
 * DomainErrorFilter is the one place they become responses.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not_found', 404, `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', 409, message);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string) {
    super('invalid_request', 400, message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'a valid bearer token is required') {
    super('unauthorized', 401, message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'the token does not grant this permission') {
    super('forbidden', 403, message);
  }
}

/** A limit the tenant configured was reached; the filter adds Retry-After. */
export class TooManyRequestsError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'too many requests; retry later',
  ) {
    super('too_many_requests', 429, message);
  }
}
