import { BrokerError } from '@app/federation';
import { Public } from '@app/platform';
import { TenantProviderRegistry } from '@app/protocol';
import { AuditService } from '@app/audit';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { InteractionPages } from '../interaction/interaction-pages.js';
import { BrokerStep } from './broker.step.js';

/** Interaction ids as oidc-provider makes them (nanoid); anything else cannot be one. */
const INTERACTION_UID = /^[A-Za-z0-9_-]{10,64}$/;

function queryOf(req: Request): URLSearchParams {
  const raw = req.originalUrl.split('?')[1] ?? '';
  return new URLSearchParams(raw.slice(0, 8192));
}

/**
 * `{issuer}/broker/{alias}/callback`, the redirect URI registered at the upstream. The sign-in's
 * interaction cookie is scoped to its own path, so the answer is passed on (unchanged, and
 * still single-use: its state is checked and used up there) to the interaction its state
 * names; a state naming none is refused here.
 */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/broker/:alias')
export class BrokerCallbackController {
  constructor(
    private readonly registry: TenantProviderRegistry,
    private readonly pages: InteractionPages,
    private readonly audit: AuditService,
  ) {}

  @Get('callback')
  async callback(
    @Param('tenant') slug: string,
    @Param('alias') alias: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    const runtime = await this.registry.get(slug);
    if (!runtime) return this.pages.sendError(res, 404, 'This sign-in page does not exist.');
    const query = queryOf(req);
    const uid = (query.get('state') ?? '').split('.')[0];
    if (!INTERACTION_UID.test(uid) || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(alias)) {
      await this.audit.recordQuietly(runtime.tenant.id, {
        type: 'federation.failure',
        outcome: 'failure',
        actor: { type: 'anonymous' },
        ip: req.ip,
        userAgent: req.get('user-agent'),
        data: { provider: alias.slice(0, 64), reason: new BrokerError('state').reason },
      });
      return this.pages.sendError(
        res,
        400,
        'This sign-in request is invalid. Please start again from the application.',
      );
    }
    res.redirect(303, `${this.pages.actionFor(runtime, uid, `broker/${alias}`)}?${query.toString()}`);
  }
}

/** The upstream's answer inside the interaction (see BrokerCallbackController). */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/interaction/:uid')
export class BrokerReturnController {
  constructor(
    private readonly pages: InteractionPages,
    private readonly broker: BrokerStep,
  ) {}

  @Get('broker/:alias')
  async finish(
    @Param('tenant') slug: string,
    @Param('alias') alias: string,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    await this.pages.withInteraction(slug, req, res, async (runtime, details) => {
      if (details.prompt.name !== 'login') return this.pages.sendError(res, 400, 'This sign-in step is already done.');
      await this.broker.finish(req, res, runtime, details, alias, queryOf(req));
    });
  }
}
