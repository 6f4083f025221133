/**
 * Import rules (tools/library-layers.cjs has the table of libraries). Each library is
 * reached through its index.ts only (`@app/<lib>`), never a deep path.
 */
const { LIBRARIES } = require('./tools/library-layers.cjs');

const TEST_FILE = '\\.(spec|medium|e2e|browser)\\.ts$';
const others = (lib) => Object.keys(LIBRARIES).filter((other) => other !== lib && !LIBRARIES[lib].includes(other));

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    ...Object.keys(LIBRARIES).map((lib) => ({
      name: `${lib}-imports-only-its-layers`,
      comment: `libs/${lib} may import only: ${LIBRARIES[lib].join(', ') || 'no other library'}`,
      severity: 'error',
      from: { path: `^libs/${lib}/src/`, pathNot: TEST_FILE },
      to: { path: `^libs/(${others(lib).join('|')})/` },
    })),
    {
      name: 'only-through-index',
      comment: 'another library is reached through its index.ts (@app/<lib>), never a deep path',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/(?!index\\.ts$)', pathNot: '^libs/$1/' },
    },
    {
      name: 'apps-and-tests-only-through-index',
      comment: 'the bench is left out: its bare-engine reference loads single files so it runs none of our modules',
      severity: 'error',
      from: { path: '^(apps|test)/' },
      to: {
        path: '^libs/[^/]+/src/(?!index\\.ts$)',
        // The package's own entry points (@idp/resource-server/express, /nest).
        pathNot: '^libs/resource-server/src/(express|nest)/index\\.ts$',
      },
    },
    {
      name: 'only-protocol-knows-oidc-provider',
      severity: 'error',
      from: { path: '^libs/', pathNot: ['^libs/protocol/', '^libs/testing/', TEST_FILE] },
      to: { path: 'node_modules/oidc-provider/' },
    },
    {
      name: 'no-test-helpers-in-production-code',
      severity: 'error',
      from: { path: '^(libs|apps)/', pathNot: ['^libs/testing/', TEST_FILE] },
      to: { path: '^libs/testing/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/', pathNot: '^libs/testing/' },
      to: { path: '^apps/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)dist/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
