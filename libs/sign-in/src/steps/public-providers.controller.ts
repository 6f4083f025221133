import { IdentityProvidersService } from '@app/federation';
import { NotFoundError, Public } from '@app/platform';
import { TenantProviderRegistry } from '@app/protocol';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';

/**
 * `GET {issuer}/providers`: the tenant's enabled upstream providers, for apps that draw their
 * own "Continue with …" buttons. Every provider is `healthy` until provider health tracking
 * lands (it will report the shared status here).
 */
@ApiExcludeController()
@Public()
@Controller('t/:tenant/providers')
export class PublicProvidersController {
  constructor(
    private readonly registry: TenantProviderRegistry,
    private readonly providers: IdentityProvidersService,
  ) {}

  @Get()
  async list(@Param('tenant') slug: string, @Res({ passthrough: true }) res: Response) {
    const runtime = await this.registry.get(slug);
    if (!runtime) throw new NotFoundError('tenant');
    res.set('cache-control', 'public, max-age=30');
    const enabled = await this.providers.listEnabled(runtime.tenant.id);
    return enabled.map((p) => ({ alias: p.alias, displayName: p.displayName, status: 'healthy' as const }));
  }
}
