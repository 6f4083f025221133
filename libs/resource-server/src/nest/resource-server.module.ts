import { type DynamicModule, type InjectionToken, type ModuleMetadata, Module, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { ResourceServerOptions } from '../options.js';
import { createResourceServer } from '../resource-server.js';
import { ResourceServerGuard } from './resource-server.guard.js';
import { RESOURCE_SERVER } from './tokens.js';

export interface ResourceServerModuleOptions extends ResourceServerOptions {
  /**
   * Install {@link ResourceServerGuard} on every route of the application (default true).
   * With false, put `@UseGuards(ResourceServerGuard)` where it is wanted.
   */
  globalGuard?: boolean;
}

export interface ResourceServerModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: InjectionToken[];
  useFactory: (...args: any[]) => ResourceServerOptions | Promise<ResourceServerOptions>;
  globalGuard?: boolean;
}

function module(serverProvider: Provider, imports: ModuleMetadata['imports'], globalGuard: boolean): DynamicModule {
  return {
    module: ResourceServerModule,
    global: true,
    imports,
    providers: [
      serverProvider,
      ResourceServerGuard,
      ...(globalGuard ? [{ provide: APP_GUARD, useExisting: ResourceServerGuard }] : []),
    ],
    exports: [RESOURCE_SERVER, ResourceServerGuard],
  };
}

/** Protects a Nest application's routes with access tokens of one issuer, for one API. */
@Module({})
export class ResourceServerModule {
  static forRoot(options: ResourceServerModuleOptions): DynamicModule {
    const { globalGuard = true, ...serverOptions } = options;
    // Built here, not lazily: bad options stop the application at start.
    const server = createResourceServer(serverOptions);
    return module({ provide: RESOURCE_SERVER, useValue: server }, [], globalGuard);
  }

  static forRootAsync(options: ResourceServerModuleAsyncOptions): DynamicModule {
    const provider: Provider = {
      provide: RESOURCE_SERVER,
      inject: options.inject ?? [],
      useFactory: async (...args: unknown[]) => createResourceServer(await options.useFactory(...args)),
    };
    return module(provider, options.imports ?? [], options.globalGuard ?? true);
  }
}
