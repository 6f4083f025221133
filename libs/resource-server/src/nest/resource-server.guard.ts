import { type CanActivate, type ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { errorResponse, MissingTokenError, ResourceServerError } from '../errors.js';
import type { Principal } from '../principal.js';
import { assertMeetsAll, type Requirement } from '../requirements.js';
import type { ResourceServer } from '../resource-server.js';
import { OPTIONAL_AUTH, PUBLIC_ROUTE, REQUIREMENTS } from './decorators.js';
import { RESOURCE_SERVER } from './tokens.js';

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  auth?: Principal;
}
/** Express (`setHeader`) or Fastify (`header`) reply. */
interface HttpReply {
  setHeader?(name: string, value: string): unknown;
  header?(name: string, value: string): unknown;
}

/**
 * Deny by default: every route needs a valid access token unless marked @Public() or
 * @OptionalAuth(), and must meet every @Require…() on its class and its handler. Refusals
 * follow RFC 6750: the status, a `WWW-Authenticate` challenge and a `{error, message}` body.
 */
@Injectable()
export class ResourceServerGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RESOURCE_SERVER) private readonly server: ResourceServer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    // WebSocket and microservice handlers carry no Authorization header: closed unless @Public().
    if (context.getType() !== 'http') return false;
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    try {
      const principal = await this.server.authenticate(request.headers.authorization);
      // Both the class's and the handler's requirements apply.
      const requirements = this.reflector
        .getAll<(Requirement[] | undefined)[]>(REQUIREMENTS, targets)
        .flatMap((declared) => declared ?? []);
      if (!principal) {
        // A route that names requirements needs a caller even when it also allows anonymous ones.
        const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_AUTH, targets);
        if (optional && requirements.length === 0) return true;
        throw new MissingTokenError();
      }
      request.auth = principal;
      assertMeetsAll(principal, requirements);
      return true;
    } catch (error) {
      if (!(error instanceof ResourceServerError)) throw error;
      throw this.refusal(error, http.getResponse<HttpReply>());
    }
  }

  private refusal(error: ResourceServerError, reply: HttpReply): HttpException {
    const { status, headers, body } = errorResponse(error, this.server.realm);
    for (const [name, value] of Object.entries(headers)) {
      if (reply.setHeader) reply.setHeader(name, value);
      else reply.header?.(name, value);
    }
    return new HttpException(body, status);
  }
}
