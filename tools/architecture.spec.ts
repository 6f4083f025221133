import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// CommonJS helpers shared with `npm run lint` and the doc generator.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LIBRARIES } = require('./library-layers.cjs') as { LIBRARIES: Record<string, string[]> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const doc = require('./architecture-doc.cjs') as {
  generated(): string;
  currentBlock(text: string): string | null;
  normalized(text: string): string;
  DOC: string;
};

const root = join(__dirname, '..');

describe('the library layers', () => {
  it('list every library under libs/ and allow imports only of libraries that exist', () => {
    const folders = readdirSync(join(root, 'libs'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(Object.keys(LIBRARIES).sort()).toEqual(folders);
    for (const deps of Object.values(LIBRARIES)) for (const dep of deps) expect(folders).toContain(dep);
  });

  it('are what the code imports: dependency-cruiser finds no forbidden import', () => {
    const cruise = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'libs',
        'apps',
        'test',
        '--config',
        '.dependency-cruiser.cjs',
        '--output-type',
        'err',
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(cruise.stdout + cruise.stderr).toContain('no dependency violations found');
    expect(cruise.status).toBe(0);
  });

  it('are drawn as they are in docs/architecture.md', () => {
    const drawn = doc.currentBlock(readFileSync(doc.DOC, 'utf8'));
    expect(drawn && doc.normalized(drawn)).toBe(doc.normalized(doc.generated()));
  });
});
