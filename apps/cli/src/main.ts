import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/platform';
import { Logger } from '@nestjs/common';
import { runCommand, USAGE, UsageError } from './commands.js';

async function main(): Promise<number> {
  return runCommand(process.argv.slice(2), loadConfig());
}

main().then(
  (code) => process.exit(code),
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
