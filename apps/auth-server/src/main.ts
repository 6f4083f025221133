import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/config';
import { setFlagsFromString } from 'node:v8';

/**
 * V8 lets the old generation grow to several times the live heap before a full collection.
 * Our live heap (Nest, TypeORM, the tenant providers) is ~4× a bare oidc-provider's, so under
 * load the default growth alone put the process at 400+ MB while holding ~60 MB of live data.
 * Growing by 50% per collection keeps peak RSS near 230 MB for ~1–2% more CPU in collection
 * (docs/performance.md). The flag is read at every collection, so setting it here takes
 * effect; `node --heap-growing-percent=N` on the command line still wins.
 */
if (!process.execArgv.some((flag) => flag.startsWith('--heap-growing-percent'))) {
  setFlagsFromString('--heap-growing-percent=50');
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Before the server's modules load: instrumentation patches them as they load.
  if (config.tracing) await (await import('./tracing.js')).startTracing(config.tracing);
  // Loaded only once the configuration is valid, so a bad variable prints exactly one line.
  const { startServer } = await import('./server.js');
  const started = await startServer(config);
  const lines = [`auth server listening on port ${config.port}`, `system issuer: ${config.publicUrl}/t/system`];
  lines.push(`admin API: ${config.publicUrl}/admin (docs at ${config.publicUrl}/admin/docs)`);
  lines.push(
    `admin console: ${config.publicUrl}/console` +
      // The console signs users in: without a bootstrap user there is no operator to sign in as yet.
      (config.bootstrapAdminUser || started.generatedAdminUser
        ? ''
        : ' (set BOOTSTRAP_ADMIN_USERNAME and _PASSWORD for an operator who signs in there)'),
  );
  if (started.generatedAdminClient) {
    // Printed once, on the first start only: the secret is stored hashed and cannot be shown again.
    lines.push(
      'generated admin client (shown once, store it now):',
      `  client_id:     ${started.generatedAdminClient.clientId}`,
      `  client_secret: ${started.generatedAdminClient.clientSecret}`,
      `  token: curl -u <client_id>:<client_secret> -d grant_type=client_credentials -d scope=admin -d resource=${config.publicUrl}/admin ${config.publicUrl}/t/system/token`,
    );
  }
  if (started.generatedAdminUser) {
    lines.push(
      'generated operator for the console (shown once, store it now):',
      `  username: ${started.generatedAdminUser.username}`,
      `  password: ${started.generatedAdminUser.password}`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
