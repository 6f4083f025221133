import 'reflect-metadata';
import { AuditService } from '@app/audit';
import { TenantProvisioningService } from '@app/provisioning';
import {
  type AppConfig,
  createDataSource,
  revertLastMigration,
  runMigrations,
  startEmbeddedPostgres,
} from '@app/platform';
import type { DataSource } from 'typeorm';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../auth-server/src/app.module.js';
import { ENTITIES } from '../../auth-server/src/entities.js';

export const USAGE = `usage: npm run cli -- <command> [options]

commands:
  migrate                                   apply pending database migrations
  migrate:revert                            undo the last applied migration (its down())
  bootstrap                                 ensure the system tenant and bootstrap credentials
  create-tenant --slug <slug> --name <name> create a tenant (its issuer and signing key)
  rotate-keys --tenant <slug>               new signing key; the old one keeps verifying live tokens
  audit-verify --tenant <slug>              walk the tenant's audit hash chain; exit 1 at the first bad link`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

function required(args: string[], name: string): string {
  const value = option(args, name);
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

export class UsageError extends Error {}

async function withDatabase(config: AppConfig, work: (dataSource: DataSource) => Promise<void>): Promise<void> {
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const dataSource = createDataSource({
    url: config.databaseUrl ?? embedded!.url,
    poolMax: embedded?.poolMax,
    entities: ENTITIES,
  });
  await dataSource.initialize();
  try {
    await work(dataSource);
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

async function withApp<T>(config: AppConfig, work: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** Runs one command; answers the process exit code. */
export async function runCommand(
  args: string[],
  config: AppConfig,
  print: (line: string) => void = console.log,
): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'migrate':
      await withDatabase(config, async (dataSource) => {
        const applied = await runMigrations(dataSource);
        print(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      });
      return 0;
    case 'migrate:revert':
      await withDatabase(config, async (dataSource) => {
        const reverted = await revertLastMigration(dataSource);
        print(reverted ? `reverted: ${reverted}` : 'no migration to revert');
      });
      return 0;
    case 'bootstrap':
      return withApp(config, async (app) => {
        const result = await app.get(TenantProvisioningService).bootstrap();
        print(result.created ? 'created the system tenant' : 'system tenant already present');
        if (result.generatedClient) {
          print(
            `generated admin client (shown once): ${result.generatedClient.clientId} ${result.generatedClient.clientSecret}`,
          );
        }
        return 0;
      });
    case 'create-tenant':
      return withApp(config, async (app) => {
        const tenants = app.get(TenantProvisioningService);
        const tenant = await tenants.create(required(rest, 'slug'), option(rest, 'name') ?? required(rest, 'slug'));
        print(`created tenant ${tenant.slug}: issuer ${tenants.issuerOf(tenant)}`);
        return 0;
      });
    case 'rotate-keys':
      return withApp(config, async (app) => {
        const kid = await app.get(TenantProvisioningService).rotateKeys(required(rest, 'tenant'));
        print(`rotated: new current key ${kid}`);
        return 0;
      });
    case 'audit-verify':
      return withApp(config, async (app) => {
        const slug = required(rest, 'tenant');
        const tenant = await app.get(TenantProvisioningService).get(slug);
        const result = await app.get(AuditService).verify(tenant.id);
        const start = result.startsAfterSeq ? ` (after retention checkpoint at seq ${result.startsAfterSeq})` : '';
        if (result.valid) {
          print(`audit chain of ${slug} is valid: ${result.count} events${start}`);
          return 0;
        }
        print(
          `audit chain of ${slug} is BROKEN at seq ${result.firstBadSeq} (${result.reason}); ${result.count} events before it are valid${start}`,
        );
        return 1;
      });
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  }
}
