// Jest runs in CommonJS mode: swc compiles our TS *and* the ESM-only packages
// (Nest 12, oidc-provider 9, jose, openid-client) to CommonJS. Native-ESM jest
// breaks on @nestjs/throttler (CJS requiring ESM) — see DESIGN.md "Traps".
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    keepClassNames: true,
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
const swcJs = { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } };
// Every folder under libs/ is a library reachable as @app/<folder>.
const libs = require('node:fs')
  .readdirSync(`${__dirname}/libs`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  // The publishable package is @idp/resource-server (below), never an @app/ library.
  .filter((name) => name !== 'resource-server');
const common = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    '^.+\\.[mc]?js$': ['@swc/jest', swcJs],
  },
  // axe-core is a browser script (UMD, `this` at the top): compiled as a module it breaks.
  transformIgnorePatterns: ['/node_modules/axe-core/'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Exports only an "import" condition, which CommonJS-mode jest does not resolve.
    '^canonicalize$': '<rootDir>/node_modules/canonicalize/lib/canonicalize.js',
    ...Object.fromEntries(libs.map((l) => [`^@app/${l}$`, `<rootDir>/libs/${l}/src/index.ts`])),
    // The publishable package, from source: its root and its `./express` and `./nest` entry points.
    '^@idp/resource-server$': '<rootDir>/libs/resource-server/src/index.ts',
    '^@idp/resource-server/(express|nest)$': '<rootDir>/libs/resource-server/src/$1/index.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  setupFiles: ['<rootDir>/libs/testing/src/jest-quiet-runtime-warning.cjs'],
};
module.exports = {
  // Global only (jest ignores it per project): e2e suites start whole servers in beforeAll.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,bench,tools}/**/*.spec.ts'] },
    { ...common, displayName: 'medium', testMatch: ['<rootDir>/{apps,libs}/**/*.medium.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'] },
    { ...common, displayName: 'reliability', testMatch: ['<rootDir>/test/reliability/**/*.e2e.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser.ts'] },
  ],
};
