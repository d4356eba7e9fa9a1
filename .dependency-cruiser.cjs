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
      name: 'no-circular',
      comment:
        'No import cycles: in a cycle one side reads the other half-initialised (undefined at load time), and neither side can be loaded without the other',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'event-contracts-are-leaves',
      comment:
        'Event contracts (commerce/src/events/) are read by subscribers without loading the publishing module, so they import nothing but zod and defineEvent',
      severity: 'error',
      from: { path: '^commerce/src/events/' },
      to: { dependencyTypesNot: ['core'], pathNot: ['^commerce/src/shared/events/domain-event\\.ts$', '(^|node_modules/)zod(/|$)'] },
    },
    {
      name: 'production-imports-test-code',
      comment:
        'Production code (src/, except *.test.ts) loads no test library and no test support, so a running process has none in its import graph',
      severity: 'error',
      from: { path: '^(commerce|packages/[^/]+)/src/', pathNot: '\\.test\\.ts$' },
      to: {
        path: [
          '(^|node_modules/)(vitest|@vitest/[^/]+|s3rver|smtp-server|fast-check)(/|$)',
          '(^|/)(test|testing|test-support)/',
          '\\.(contract|fixtures?)\\.ts$',
        ],
      },
    },
    {
      name: 'inner-layers-import-infrastructure',
      comment:
        'Application and domain code reach storage and engines only through ports (application/ports/): no infrastructure, no database adapters, no database or engine clients',
      severity: 'error',
      from: { path: '^commerce/src/modules/[^/]+/(application|domain)/', pathNot: '\\.test\\.ts$' },
      to: {
        path: [
          '^commerce/src/modules/[^/]+/infrastructure/',
          '^commerce/src/shared/(database|kv)/',
          '(^|node_modules/)(pg|pg-[a-z-]+|@electric-sql/pglite|ioredis|@nats-io/[^/]+|nodemailer|smtp-server|stripe)(/|$)',
        ],
        pathNot: ['^commerce/src/shared/database/database\\.ts$', '^commerce/src/shared/kv/key-value-store\\.ts$'],
      },
    },
    {
      name: 'domain-imports-database-port',
      comment: 'The domain layer knows no storage at all, not even the Database port',
      severity: 'error',
      from: { path: '^commerce/src/modules/[^/]+/domain/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^commerce/src/shared/(database|kv)/'] },
    },
    {
      name: 'commerce-analytics-apart',
      comment: 'The two systems talk over HTTP (the Segment API), never by import',
      severity: 'error',
      from: { path: '^(commerce|analytics)/' },
      to: { path: '^(commerce|analytics)/', pathNot: '^$1/' },
    },
    {
      name: 'analytics-component-deep-import',
      comment: 'An analytics component (a folder of analytics/src) is used only through its index.ts, by other components and by the entry points',
      severity: 'error',
      from: { path: '^analytics/src/([^/]+)' },
      to: {
        path: '^analytics/src/[^/]+/',
        pathNot: ['^analytics/src/$1/', '^analytics/src/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'analytics-component-imports-entry',
      comment: 'Components do not depend on the composition root (app.ts, config.ts, main.ts) or on the process and CLI entry points',
      severity: 'error',
      from: { path: '^analytics/src/[^/]+/', pathNot: '^analytics/src/(cli|processes)/' },
      to: { path: '^analytics/src/([^/]+\\.ts$|cli/|processes/)' },
    },
    {
      name: 'analytics-src-imports-test-code',
      comment: 'Test code (contract suites, fixtures, s3rver, property testing, engine probes) lives outside analytics/src; a unit test beside its code imports only vitest and the code',
      severity: 'error',
      from: { path: '^analytics/src/' },
      to: {
        path: [
          '^analytics/test/',
          '^bench/',
          '^packages/platform/testing/',
          '^@shop/platform/testing$',
          'node_modules/(s3rver|fast-check|playwright-core|@segment/analytics-node)/',
        ],
      },
    },
    {
      name: 'analytics-vitest-outside-tests',
      comment: 'Only *.test.ts files in analytics/src may import vitest',
      severity: 'error',
      from: { path: '^analytics/src/', pathNot: '\\.test\\.ts$' },
      to: { path: 'node_modules/(vitest|@vitest/)' },
    },
    {
      name: 'analytics-no-circular',
      comment: 'No import cycles in analytics: a cycle between components means they are one component, or a vocabulary belongs in contracts/',
      severity: 'error',
      from: { path: '^analytics/' },
      to: { circular: true },
    },
    {
      name: 'storefront-uses-the-public-api-only',
      comment: 'The storefront is a client of the commerce HTTP API (through @shop/sdk): no commerce or analytics code, no database',
      severity: 'error',
      from: { path: '^storefront/' },
      to: { path: ['^(commerce|analytics)/', '(^|/)node_modules/(@electric-sql/pglite|pg|ioredis)/'] },
    },
    {
      name: 'backoffice-uses-the-public-api-only',
      comment: 'The back office is a client of the commerce admin HTTP API (through @shop/sdk): no commerce, analytics or storefront code',
      severity: 'error',
      from: { path: '^backoffice/' },
      to: { path: '^(commerce|analytics|storefront)/' },
    },
    {
      name: 'backoffice-reads-no-database',
      comment:
        'No database driver in the back office. One exception, a test fixture: the dead-letter browser test turns a finished ' +
        'delivery dead in the API\'s own PostgreSQL (no public call makes a handler fail for good on demand)',
      severity: 'error',
      from: { path: '^backoffice/', pathNot: '^backoffice/test/e2e/orders-and-operations[.]browser[.]test[.]ts$' },
      to: { path: '(^|/)node_modules/(@electric-sql/pglite|pg|ioredis)/' },
    },
    {
      name: 'storefront-and-backoffice-apart',
      comment: 'What the two web clients share lives in packages/web, not in each other',
      severity: 'error',
      from: { path: '^storefront/' },
      to: { path: '^backoffice/' },
    },
    {
      name: 'sdk-is-generated-from-outside',
      comment: 'The SDK ships types and a fetch client; generating it (scripts/generate-sdk.ts) is what reads commerce',
      severity: 'error',
      from: { path: '^packages/sdk/' },
      to: { path: '^(commerce|analytics|storefront|backoffice)/' },
    },
    {
      name: 'platform-imports-app',
      comment: 'The platform package serves both systems and depends on neither',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^(commerce|analytics|storefront|backoffice)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
