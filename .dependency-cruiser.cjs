/**
 * The walls between modules and layers, checked in CI (`npm run boundaries`).
 * A module is used only through its `index.ts`; domain code imports no outer layer;
 * the two systems and the shared platform never reach into each other.
 * `test/boundaries/boundaries.test.ts` plants violations and shows each rule catches them.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'module-deep-import',
      comment: 'Another module is reachable only through its public index.ts',
      severity: 'error',
      from: { path: '^commerce/src/modules/([^/]+)/' },
      to: {
        path: '^commerce/src/modules/[^/]+/',
        pathNot: ['^commerce/src/modules/$1/', '^commerce/src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'outside-into-module-internals',
      comment: 'Code outside the modules (app.ts, shared, cli, tests of other modules) uses a module only through its index.ts',
      severity: 'error',
      from: { path: '^commerce/(src|test)/', pathNot: ['^commerce/src/modules/', '^commerce/test/([^/]+)/'] },
      to: { path: '^commerce/src/modules/[^/]+/', pathNot: '^commerce/src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'test-into-other-module-internals',
      comment: "A module's tests may use its own internals, and other modules only through their index.ts",
      severity: 'error',
      from: { path: '^commerce/test/([^/]+)/' },
      to: {
        path: '^commerce/src/modules/[^/]+/',
        pathNot: ['^commerce/src/modules/$1/', '^commerce/src/modules/[^/]+/(index|testing)\\.ts$'],
      },
    },
    {
      name: 'shared-imports-module',
      comment: 'Shared infrastructure must not depend on any module',
      severity: 'error',
      from: { path: '^commerce/src/shared/' },
      to: { path: '^commerce/src/modules/' },
    },
    {
      name: 'domain-imports-outer-layer',
      comment: 'The domain layer is pure: no application, infrastructure or api imports',
      severity: 'error',
      from: { path: '/domain/' },
      to: { path: '/(application|infrastructure|api)/' },
    },
    {
      name: 'application-imports-api',
      comment: 'Use cases do not know about HTTP',
      severity: 'error',
      from: { path: '/application/' },
      to: { path: '/api/' },
    },
    {
      name: 'commerce-analytics-apart',
      comment: 'The two systems talk over HTTP (the Segment API), never by import',
      severity: 'error',
      from: { path: '^(commerce|analytics)/' },
      to: { path: '^(commerce|analytics)/', pathNot: '^$1/' },
    },
    {
      name: 'storefront-uses-the-public-api-only',
      comment: 'The storefront is a client of the commerce HTTP API (through @shop/sdk): no commerce or analytics code, no database',
      severity: 'error',
      from: { path: '^storefront/' },
      to: { path: ['^(commerce|analytics)/', '(^|/)node_modules/(@electric-sql/pglite|pg|ioredis)/'] },
    },
    {
      name: 'sdk-is-generated-from-outside',
      comment: 'The SDK ships types and a fetch client; generating it (scripts/generate-sdk.ts) is what reads commerce',
      severity: 'error',
      from: { path: '^packages/sdk/' },
      to: { path: '^(commerce|analytics|storefront)/' },
    },
    {
      name: 'platform-imports-app',
      comment: 'The platform package serves both systems and depends on neither',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(commerce|analytics)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
