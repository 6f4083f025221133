import { BadRequestException, NotFoundException } from '@nestjs/common';
import { DomainErrorFilter } from './domain-error.filter.js';
import { ConflictError, NotFoundError, ValidationError } from './domain-error.js';

describe('DomainErrorFilter', () => {
  const filter = new DomainErrorFilter();
  (filter as unknown as { logger: { error(): void } }).logger = { error: () => undefined };

  it.each([
    [new ValidationError('bad slug'), 400, 'invalid_request', 'bad slug'],
    [new NotFoundError('tenant'), 404, 'not_found', 'tenant not found'],
    [new ConflictError('taken'), 409, 'conflict', 'taken'],
    [
      new BadRequestException(['a must be a string', 'b is required']),
      400,
      'invalid_request',
      'a must be a string; b is required',
    ],
    [new NotFoundException('Cannot GET /nope'), 404, 'not_found', 'Cannot GET /nope'],
    [
      Object.assign(new Error('x'), { status: 400, type: 'entity.parse.failed' }),
      400,
      'invalid_request',
      'the request body is not valid JSON',
    ],
    [
      Object.assign(new Error('x'), { status: 413, type: 'entity.too.large' }),
      413,
      'payload_too_large',
      'the request body was rejected',
    ],
  ])('maps %p to %i %s', (error, status, code, message) => {
    expect(filter.map(error)).toEqual({ status, body: { error: code, message } });
  });

  it('hides the details of unexpected errors', () => {
    const { status, body } = filter.map(new Error('connection string postgres://user:secret@db'));
    expect(status).toBe(500);
    expect(body).toEqual({ error: 'server_error', message: 'an unexpected error occurred' });
  });
});
