/**
 * The generated part of docs/architecture.md: a diagram of tools/library-layers.cjs (each
 * arrow an allowed import, with arrows implied by others left out) and the full table.
 * `node tools/architecture-doc.cjs` rewrites it; a unit test fails while the doc differs.
 */
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { LIBRARIES } = require('./library-layers.cjs');

const DOC = join(__dirname, '..', 'docs', 'architecture.md');
const BEGIN = '<!-- generated from tools/library-layers.cjs: begin -->';
const END = '<!-- generated from tools/library-layers.cjs: end -->';

function reachable(from, skipDirect) {
  const seen = new Set();
  const stack = LIBRARIES[from].filter((dep) => dep !== skipDirect);
  while (stack.length) {
    const next = stack.pop();
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...LIBRARIES[next]);
  }
  return seen;
}

function generated() {
  const libs = Object.keys(LIBRARIES).filter((lib) => lib !== 'testing');
  const arrows = libs.flatMap((lib) =>
    LIBRARIES[lib].filter((dep) => !reachable(lib, dep).has(dep)).map((dep) => `  ${id(lib)} --> ${id(dep)}`),
  );
  const table = libs.map((lib) => `| \`${lib}\` | ${LIBRARIES[lib].map((d) => `\`${d}\``).join(', ') || '—'} |`);
  return [
    BEGIN,
    '```mermaid',
    'graph TD',
    ...libs.map((lib) => `  ${id(lib)}[${lib}]`),
    ...arrows,
    '```',
    '',
    '| library | may import |',
    '| --- | --- |',
    ...table,
    END,
  ].join('\n');
}

function id(lib) {
  return lib.replace(/-/g, '_');
}

function currentBlock(text) {
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  return start >= 0 && end > start ? text.slice(start, end + END.length) : null;
}

/** Prettier pads the table and adds blank lines: compare what it leaves alone. */
function normalized(text) {
  return text
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').replace(/-{3,}/g, '---').trimEnd())
    .filter((line) => line !== '')
    .join('\n');
}

module.exports = { generated, currentBlock, normalized, DOC };

if (require.main === module) {
  const text = readFileSync(DOC, 'utf8');
  const block = currentBlock(text);
  if (!block) throw new Error(`${DOC} has no generated block`);
  writeFileSync(DOC, text.replace(block, generated()));
}
