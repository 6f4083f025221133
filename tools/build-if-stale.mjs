// `npm start` runs this first: it builds only when a source is newer than the last build
// (dist/.build-stamp, written after `npm run build` succeeds), so a start on an unchanged
// tree does not wait for the compiler.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const root = join(import.meta.dirname, '..');
const STAMP = join(root, 'dist', '.build-stamp');
const SOURCES = ['apps', 'libs', 'tools', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const SKIP = new Set(['node_modules', 'dist', 'test-results', 'coverage']);

function newestChange(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (!SKIP.has(entry)) newest = Math.max(newest, newestChange(join(path, entry)));
  }
  return newest;
}

const built = newestChange(STAMP);
const changed = Math.max(...SOURCES.map((source) => newestChange(join(root, source))));
if (built === 0 || changed > built) {
  const run = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
