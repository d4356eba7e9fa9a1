import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '@shop/platform';
import { runBatch } from '../../src/batch/index.ts';
import { main } from '../../src/cli/erase.ts';
import { listErasureRequests } from '../../src/privacy/index.ts';
import { startErasureRunner } from '../../src/erasure/index.ts';
import { createLocalObjectStore, localLakeDir } from '../../src/storage/index.ts';
import { openTenantStore } from '../../src/tenants/index.ts';
import { dataset, grep, OTHER_TENANT, PERSON, PERSON_IDS, TENANT, writeArchived } from '../privacy/privacy.fixture.ts';

const GRACE = 5 * 60_000;
const NOW = Date.parse('2026-03-12T00:00:00Z') + GRACE + 3_600_000;
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A data dir whose lake holds everyone's events and the batch views up to the 11th. */
async function dataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'erase-cli-'));
  dirs.push(dir);
  const lake = await createLocalObjectStore(localLakeDir(dir));
  await writeArchived(lake, dataset());
  await runBatch({ lake, tenants: [TENANT, OTHER_TENANT], now: NOW, graceMs: GRACE });
  const tenants = await openTenantStore({ dataDir: dir });
  await tenants.createTenant({ id: TENANT, name: TENANT, timeZone: 'UTC', createdAt: new Date(NOW).toISOString(), dailyQuota: 1000, rateLimitPerSecond: 10 });
  await tenants.close();
  // No REDIS_URL: the speed views are the app's own, which the CLI leaves to the app's runner.
  return { lake, env: { DATA_DIR: dir, ANALYTICS_BATCH_GRACE_MS: String(GRACE), LOG_LEVEL: 'silent' } };
}

async function erase(argv: string[], env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { env, pollMs: 10, out: { log: (l) => out.push(l), error: (l) => err.push(l) } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run erase', () => {
  it('--run-here erases the person from the lake and leaves the speed step to the app; list shows it', async () => {
    const { lake, env } = await dataDir();
    const result = await erase(['--tenant', TENANT, '--user', PERSON.userId, '--run-here'], env);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/recorded\nexpanded\nrewritten\nrecomputed\ndone\n/);
    expect(result.out).toContain('speed views: pending the app runner');
    const hits = await grep(lake, PERSON_IDS);
    expect(hits.filter((h) => h.includes(`tenant=${TENANT}/`))).toEqual([]);
    const [request] = await listErasureRequests(lake, TENANT);
    expect(request).toMatchObject({ status: 'done' });
    expect(request).not.toHaveProperty('speedRebuiltAt');

    const listed = await erase(['list', '--tenant', TENANT], env);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(`${request!.id} ${TENANT} done`);
    // The same person again: the same, finished request.
    expect((await erase(['--tenant', TENANT, '--user', PERSON.userId, '--run-here'], env)).out).toContain('already done');
  }, 60_000);

  it('by default records the request for the app to complete; --wait follows it to the end', async () => {
    const { lake, env } = await dataDir();
    const recorded = await erase(['--tenant', TENANT, '--user', PERSON.userId], env);
    expect(recorded.code).toBe(0);
    expect(recorded.out).toContain('pending');
    expect((await listErasureRequests(lake, TENANT))[0]).toMatchObject({ status: 'pending' });

    const rebuilt: string[] = [];
    const runner = startErasureRunner({
      store: lake,
      logger: createLogger('erase-cli-test', 'silent'),
      graceMs: GRACE,
      now: () => new Date(NOW),
      intervalMs: 50,
      rebuildSpeed: async (tenantId) => void rebuilt.push(tenantId),
    });
    try {
      const waited = await erase(['--tenant', TENANT, '--user', PERSON.userId, '--wait'], env);
      expect(waited.code).toBe(0);
      expect(waited.out).toMatch(/steps done: .*speedRebuiltAt\n.* done /);
    } finally {
      await runner.stop();
    }
    expect(rebuilt).toEqual([TENANT]);
    // No runner: --wait gives up after its timeout, saying what to check; the request stays recorded.
    const alone = await erase(['--tenant', TENANT, '--anonymous', 'someone-else', '--wait', '--timeout', '1'], env);
    expect(alone.code).toBe(1);
    expect(alone.err).toMatch(/not done after 1 s: is an analytics app with its erasure runner running/);
    expect(await listErasureRequests(lake, TENANT)).toEqual(expect.arrayContaining([expect.objectContaining({ status: 'pending' })]));
    expect((await grep(lake, PERSON_IDS)).filter((h) => h.includes(`tenant=${TENANT}/`))).toEqual([]);
  }, 60_000);

  it('refuses what it cannot do with exit code 2 and says why', async () => {
    const env = { DATA_DIR: join(tmpdir(), 'erase-cli-unused') };
    const cases: Array<[string[], RegExp]> = [
      [['--user', 'u'], /--tenant is required/],
      [['--tenant', 'acme'], /Name the person/],
      [['--tenant', 'Not A Tenant!', '--user', 'u'], /Not a tenant id/],
      [['--tenant', 'acme', '--user', 'u', '--wait', '--run-here'], /exclude each other/],
      [['--tenant', 'acme', '--user', 'u', '--bogus'], /bogus/],
      [['remove', '--tenant', 'acme'], /Unexpected argument: remove/],
      [['--tenant', 'acme', '--user', 'u', '--wait', '--timeout', '0'], /--timeout must be/],
    ];
    for (const [argv, message] of cases) {
      const result = await erase(argv, env);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err).toMatch(message);
    }
    expect((await erase(['--help'], env)).out).toContain('Usage:');
    const { env: withData } = await dataDir();
    const unknown = await erase(['--tenant', 'nobody', '--user', 'u'], withData);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('No tenant nobody');
  });
});
