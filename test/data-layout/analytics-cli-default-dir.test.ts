import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRawObjects } from '../../analytics/src/archive/index.ts';
import { loadAnalyticsConfig } from '../../analytics/src/config.ts';
import { openObjectStore } from '../../analytics/src/storage/index.ts';
import { createTenantsApi, openTenantStore } from '../../analytics/src/tenants/index.ts';
import { appDataDir } from '../../scripts/app-data-dirs.ts';

const repo = resolve(import.meta.dirname, '../..');
const tsx = import.meta.resolve('tsx');

/** Runs an analytics CLI as `npm run <cli>` does, from `cwd`, with DATA_DIR and the lake variables unset. */
function cli(name: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env, TSX_TSCONFIG_PATH: join(repo, 'tsconfig.json') };
  for (const v of ['DATA_DIR', 'ANALYTICS_LAKE_DIR', 'S3_BUCKET', 'S3_ENDPOINT', 'REDIS_URL']) delete env[v];
  const child = spawn(process.execPath, ['--import', tsx, join(repo, 'analytics/src/cli', `${name}.ts`), ...args], { cwd, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  return new Promise((done) => child.on('close', (code) => done({ code, stdout, stderr })));
}

describe('the analytics CLIs find what the app started by npm start wrote', () => {
  let root: string;
  let empty: string;
  beforeAll(async () => {
    // A stand-in for the repository root after `npm start`: the app ran with the DATA_DIR start.ts gives it.
    root = await mkdtemp(join(tmpdir(), 'layout-root-'));
    empty = await mkdtemp(join(tmpdir(), 'layout-empty-'));
    const config = loadAnalyticsConfig({ DATA_DIR: appDataDir(join(root, 'data'), 'analytics') });
    const tenants = await openTenantStore({ dataDir: config.DATA_DIR });
    const api = createTenantsApi({ store: tenants, defaults: { dailyQuota: 1000, rateLimitPerSecond: 100 }, keyCacheTtlMs: 0 });
    expect((await api.createTenant({ id: 'demo-shop', name: 'Demo', timeZone: 'UTC' })).ok).toBe(true);
    await tenants.close();
    const lake = await openObjectStore(config);
    const event = {
      tenantId: 'demo-shop', messageId: 'm1', type: 'track', event: 'Viewed', userId: 'u1', timestamp: '2026-03-09T10:00:00.000Z',
      receivedAt: '2026-03-09T10:00:01.000Z', properties: {}, context: {}, isBot: false,
    } as const;
    for (const { key, body } of encodeRawObjects(0, 0, 1, [{ partition: 0, offset: 0, key: 'demo-shop', value: event }])) await lake.put(key, Buffer.from(body));
    await lake.close();
    await mkdir(join(empty, 'data'), { recursive: true });
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  });

  it('batch run and tenants list, run from the root with default settings, read the app\'s lake and tenant store', async () => {
    const batch = await cli('batch', ['run'], root);
    expect(batch.stderr).not.toMatch(/no raw events/);
    expect(batch.stdout).toMatch(/^1 periods, 1 raw events .* watermarks demo-shop=\d{4}-\d{2}-\d{2}T00:00:00.000Z/m);
    expect(batch.code).toBe(0);
    const tenants = await cli('tenants', ['list'], root);
    expect(tenants.stdout).toMatch(/^demo-shop\tDemo\tUTC/);
    expect(tenants.code).toBe(0);
  }, 120_000);

  it('a CLI pointed at a place without a lake names the path it looked at and exits non-zero', async () => {
    const batch = await cli('batch', ['run'], empty);
    expect(batch.stderr).toContain('no raw events in the lake at data/analytics/lake');
    expect(batch.code).toBe(1);
    const tenants = await cli('tenants', ['list'], empty);
    expect(tenants.stderr).toContain('no tenant store at data/analytics/tenants.json');
    expect(tenants.code).toBe(1);
  }, 120_000);
});
