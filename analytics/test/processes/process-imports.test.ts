import { describe, expect, it } from 'vitest';
import { loadedModules } from '../support/loaded-modules.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const tempDir = tempDirs('process-imports');
const DUCKDB = /\/node_modules\/@duckdb\/node-api\//;

describe("the stand-alone consumers' import graphs", () => {
  it('the speed process never loads DuckDB (it filters with the erasure list, not the erasure workflow)', { timeout: 120_000 }, async () => {
    // No REDIS_URL: the process stops on its config, after linking every static import.
    const modules = await loadedModules('analytics/src/processes/speed.ts', { DATA_DIR: await tempDir() }, await tempDir());
    expect(modules.some((url) => url.endsWith('/analytics/src/speed/index.ts'))).toBe(true);
    expect(modules.some((url) => url.endsWith('/analytics/src/privacy/index.ts'))).toBe(true);
    expect(modules.filter((url) => DUCKDB.test(url))).toEqual([]);
  });

  it('the archiver process never loads DuckDB either', { timeout: 120_000 }, async () => {
    const env = { DATA_DIR: await tempDir(), ARCHIVE_MEMBER_INDEX: '1', ARCHIVE_MEMBER_COUNT: '1' };
    const modules = await loadedModules('analytics/src/processes/archiver.ts', env, await tempDir());
    expect(modules.some((url) => url.endsWith('/analytics/src/archive/index.ts'))).toBe(true);
    expect(modules.filter((url) => DUCKDB.test(url))).toEqual([]);
  });

  it('the batch CLI does load it: the recorder sees DuckDB where it is imported', { timeout: 120_000 }, async () => {
    const modules = await loadedModules('analytics/src/cli/batch.ts', { DATA_DIR: await tempDir() }, await tempDir());
    expect(modules.filter((url) => DUCKDB.test(url)).length).toBeGreaterThan(0);
  });
});
