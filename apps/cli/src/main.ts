import 'reflect-metadata';
import { TenantProvisioningService } from '@app/oidc';
import { ConfigError, createDataSource, loadConfig, runMigrations, startEmbeddedPostgres } from '@app/platform';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../auth-server/src/app.module.js';
import { ENTITIES } from '../../auth-server/src/entities.js';

const USAGE = `usage: npm run cli -- <command> [options]

commands:
  migrate                                   apply pending database migrations
  bootstrap                                 ensure the system tenant and bootstrap credentials
  create-tenant --slug <slug> --name <name> create a tenant (its issuer and signing key)
  rotate-keys --tenant <slug>               new signing key; the old one keeps verifying live tokens`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

function required(args: string[], name: string): string {
  const value = option(args, name);
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}

class UsageError extends Error {}

async function migrate(): Promise<void> {
  const config = loadConfig();
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir });
  const dataSource = createDataSource({
    url: config.databaseUrl ?? embedded!.url,
    poolMax: embedded?.poolMax,
    entities: ENTITIES,
  });
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

async function withApp<T>(work: (tenants: TenantProvisioningService) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig()), {
    logger: ['error', 'warn'],
  });
  try {
    return await work(app.get(TenantProvisioningService));
  } finally {
    await app.close();
  }
}

async function run(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  switch (command) {
    case 'migrate':
      return migrate();
    case 'bootstrap':
      return withApp(async (tenants) => {
        const result = await tenants.bootstrap();
        console.log(result.created ? 'created the system tenant' : 'system tenant already present');
        if (result.generatedClient) {
          console.log(
            `generated admin client (shown once): ${result.generatedClient.clientId} ${result.generatedClient.clientSecret}`,
          );
        }
      });
    case 'create-tenant':
      return withApp(async (tenants) => {
        const slug = required(rest, 'slug');
        const tenant = await tenants.create(slug, option(rest, 'name') ?? slug);
        console.log(`created tenant ${tenant.slug}: issuer ${tenants.issuerOf(tenant)}`);
      });
    case 'rotate-keys':
      return withApp(async (tenants) => {
        const kid = await tenants.rotateKeys(required(rest, 'tenant'));
        console.log(`rotated: new current key ${kid}`);
      });
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  }
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ConfigError) console.error(error.message);
    else new Logger('cli').error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
