import { TenantProvisioningService } from '@app/provisioning';
import {
  directProviderRoutes,
  type RawMiddleware,
  tenantProviderMiddleware,
  TenantProviderRegistry,
} from '@app/protocol';
import { type AppConfig, DomainErrorFilter, Metrics } from '@app/platform';
import { type INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Server } from 'node:http';
import helmet from 'helmet';
import type { DestinationStream } from 'pino';
import { WebhookDispatcher } from '@app/webhooks';
import { AppModule } from './app.module.js';
import { accessLogWriter } from './access-log.js';
import { consoleStatic } from './console-static.js';
import { rejectMalformedInput } from './malformed-input.js';
import { createLogger, logDestination, NestPinoLogger, prettyDestination, wantsPrettyLogs } from './logger.js';
import { currentRequestId, observeRequests, precomputedHeaders } from './request-observer.js';

export interface StartedServer {
  app: INestApplication;
  url: string;
  generatedAdminClient?: { clientId: string; clientSecret: string };
  generatedAdminUser?: { username: string; password: string };
  close(): Promise<void>;
}

/** Builds the whole server; main.ts and the e2e tests both start it through here. */
export async function startServer(
  config: AppConfig,
  port = config.port,
  options: { logDestination?: DestinationStream } = {},
): Promise<StartedServer> {
  const destination =
    options.logDestination ??
    (wantsPrettyLogs(config.logFormat, config.production, process.stdout.isTTY === true)
      ? await prettyDestination()
      : logDestination());
  const logger = createLogger(config.logLevel, destination, currentRequestId);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: new NestPinoLogger(logger),
    bodyParser: false,
  });
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  // End a SIGTERM/SIGINT with process.exit rather than the re-raised signal: only then does
  // the 'exit' event come, which writes the log's last lines.
  app.enableShutdownHooks(undefined, { useProcessExit: true });

  const metrics = app.get(Metrics);
  const securityHeaders = precomputedHeaders(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          'default-src': ["'none'"],
          'style-src': ["'self'"],
          // Our two passkey scripts (/assets/*.js) and the options they fetch; nothing inline.
          'script-src': ["'self'"],
          'connect-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'base-uri': ["'none'"],
          'frame-ancestors': ["'none'"],
        },
      },
      strictTransportSecurity: config.publicUrl.startsWith('https:')
        ? { maxAge: 31536000, includeSubDomains: true }
        : false,
      referrerPolicy: { policy: 'no-referrer' },
    }) as RawMiddleware,
  );
  // Every request passes these first; provider endpoints get them outside Express too.
  const crossCutting = [observeRequests(metrics, accessLogWriter(config.logLevel, destination)), securityHeaders];
  for (const middleware of crossCutting) app.use(middleware);

  // Swagger UI needs its own scripts and styles; only its page gets the looser policy.
  app.use(
    '/admin/docs',
    helmet.contentSecurityPolicy({
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'frame-ancestors': ["'none'"],
      },
    }),
  );

  // The admin console (static files, its own stricter CSP); it talks to the admin API only.
  app.use('/console', consoleStatic(config.publicUrl));

  // Before init(): the provider must see the raw body, ahead of Nest's parsers and 404 handler.
  const registry = app.get(TenantProviderRegistry);
  app.use('/t/:tenant', tenantProviderMiddleware(registry));
  app.useBodyParser('json', { limit: '100kb' });
  app.useBodyParser('urlencoded', { extended: false, limit: '20kb' });
  app.use(rejectMalformedInput(config.publicUrl));
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true, stopAtFirstError: false }),
  );
  app.useGlobalFilters(new DomainErrorFilter());

  const openApi = new DocumentBuilder().setTitle('Identity platform admin API').setVersion('1').addBearerAuth().build();
  SwaggerModule.setup('admin/docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'admin/docs-json',
  });

  await app.init();
  const httpServer = app.getHttpServer() as Server;
  const [expressListener] = httpServer.listeners('request') as Parameters<typeof directProviderRoutes>[2][];
  httpServer.removeAllListeners('request');
  httpServer.on('request', directProviderRoutes(registry, crossCutting, expressListener));
  const { generatedClient: generatedAdminClient, generatedUser: generatedAdminUser } = await app
    .get(TenantProvisioningService)
    .bootstrap();
  const server = await app.listen(port, '0.0.0.0');
  // The server delivers webhooks; CLI commands (same modules) only enqueue them.
  app.get(WebhookDispatcher).start();
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    app,
    url: `http://127.0.0.1:${boundPort}`,
    generatedAdminClient,
    generatedAdminUser,
    close: () => app.close(),
  };
}

export { Logger };
