import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'commerce/**/*.test.ts', 'analytics/**/*.test.ts', 'test/**/*.test.ts', 'storefront/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/fixtures/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites start real engines and child processes; two cores do not like many at once.
    maxWorkers: 2,
  },
});
