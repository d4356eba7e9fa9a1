import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'commerce/**/*.test.ts', 'analytics/**/*.test.ts', 'test/**/*.test.ts', 'storefront/**/*.test.ts', 'backoffice/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/fixtures/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites start real engines and child processes; two cores do not like many at once.
    maxWorkers: 2,
    // Apps the suites start as child processes inherit these: a loaded CI machine must not shed or throttle the
    // requests of tests that are about something else. The guards' own tests set their limits explicitly.
    env: {
      SHED_EVENT_LOOP_DELAY_MS: '0',
      ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0',
      RATE_LIMIT_MAX: '0',
      ANALYTICS_RATE_LIMIT_MAX: '0',
    },
  },
});
