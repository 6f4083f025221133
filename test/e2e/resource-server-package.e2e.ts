import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packageDir = resolve(import.meta.dirname, '../../libs/resource-server');
const rootManifest = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** What a consumer of the published package gets: `npm pack`, installed into an empty project. */
describe('@idp/resource-server as a published package', () => {
  let consumer: string;
  let packed: { filename: string; files: { path: string }[] };

  beforeAll(async () => {
    consumer = mkdtempSync(join(tmpdir(), 'idp-resource-server-consumer-'));
    // prepack builds dist/ first, as it would before `npm publish`.
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', consumer], { cwd: packageDir });
    packed = JSON.parse(stdout)[0];
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    const nest = rootManifest.dependencies['@nestjs/common'];
    await run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        join(consumer, packed.filename),
        `@nestjs/common@${nest}`,
        `@nestjs/core@${rootManifest.dependencies['@nestjs/core']}`,
        'reflect-metadata',
        'rxjs',
      ],
      { cwd: consumer },
    );
  }, 120_000);
  afterAll(() => consumer && rmSync(consumer, { recursive: true, force: true }));

  it('ships every entry point of its exports map with type declarations, and no sources or tests', () => {
    const files = packed.files.map((file) => file.path);
    const targets = Object.values(manifest.exports as Record<string, string | Record<string, string>>).flatMap(
      (target) => (typeof target === 'string' ? [target] : Object.values(target)),
    );
    for (const target of targets) expect(files).toContain(target.replace(/^\.\//, ''));
    expect(files).toContain('README.md');
    expect(files.filter((file) => /^src\/|\.spec\.|\.e2e\./.test(file))).toEqual([]);
  });

  it('depends on jose alone; Nest and Express types are optional peers', () => {
    expect(Object.keys(manifest.dependencies)).toEqual(['jose']);
    expect(Object.values(manifest.peerDependenciesMeta).every((peer) => (peer as { optional: boolean }).optional)).toBe(
      true,
    );
  });

  it("imports nothing of the server's own libraries", () => {
    const installed = join(consumer, 'node_modules/@idp/resource-server/dist');
    const specifiers = filesUnder(installed)
      .filter((file) => file.endsWith('.js') || file.endsWith('.d.ts'))
      .flatMap((file) =>
        // Static imports and re-exports, and the inline type imports tsc writes into declarations.
        [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'|import\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2]),
      );
    const external = [...new Set(specifiers.filter((specifier) => !specifier.startsWith('.')))].sort();
    expect(external).toEqual(['@nestjs/common', '@nestjs/core', 'jose', 'node:crypto', 'node:http']);
  });

  it('loads as ESM in a consumer project, each entry point with its API', async () => {
    const script = `
      const core = await import('@idp/resource-server');
      const express = await import('@idp/resource-server/express');
      const nest = await import('@idp/resource-server/nest');
      const server = core.createResourceServer({ issuer: 'https://id.example.com/t/acme', audience: 'https://api.example' });
      const anonymous = await server.authenticate(undefined);
      const challenge = core.errorResponse(new core.MissingTokenError(), server.realm).headers['www-authenticate'];
      console.log(JSON.stringify({ anonymous: anonymous ?? null, challenge, express: Object.keys(express).sort(), nest: Object.keys(nest).sort() }));
    `;
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: consumer });
    expect(JSON.parse(stdout)).toEqual({
      anonymous: null,
      challenge: 'Bearer realm="https://api.example"',
      express: [
        'optionalAuth',
        'requireAnyPermission',
        'requireAnyRole',
        'requireAuth',
        'requirePermission',
        'requireRole',
        'requireScope',
      ],
      nest: [
        'CurrentPrincipal',
        'OptionalAuth',
        'Public',
        'RESOURCE_SERVER',
        'RequireAnyPermission',
        'RequireAnyRole',
        'RequirePermission',
        'RequireRole',
        'RequireScope',
        'ResourceServerGuard',
        'ResourceServerModule',
      ],
    });
  });
});
