import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { realEngine } from '@shop/platform/testing';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runBatch, type BatchProgress } from '../../src/batch/index.ts';
import { readWatermark } from '../../src/batch/watermark.ts';
import { main, type ReplayContext } from '../../src/cli/replay.ts';
import { createRedisGoalStore, watchGoals } from '../../src/goals/index.ts';
import { createFileLog, type EventLog } from '../../src/log/index.ts';
import { createTenantsApi, openTenantStore } from '../../src/tenants/index.ts';
import { erasedIdentities, loadErasures, recordErasure } from '../../src/privacy/index.ts';
import { createRedisAggregateStore, startSpeedLayer } from '../../src/speed/index.ts';
import type { AggregateStore } from '../../src/contracts/index.ts';
import { createLocalObjectStore, localLakeDir, type ObjectStore } from '../../src/storage/index.ts';
import { batchAnswers } from '../batch/batch-answers.fixture.ts';
import { generateEvents, writeRaw } from '../batch/batch.fixture.ts';
import { removeKeys } from '../speed/redis-keys.ts';
import { bucketsOf, snapshotStore } from '../speed/store-snapshot.ts';
import { until } from '../speed/until.ts';
import { variedEvents } from '../speed/varied-events.fixture.ts';

const logger = pino({ level: 'silent' });
const NOW = Date.now();
const PARTITIONS = 4;
const TENANTS = ['acme', 'globex', 'initech', 'umbrella'];
const PERSON = { tenantId: 'acme', userId: 'person-x', anonymousId: 'anon-person-x' };
const DAYS = ['2026-03-08', '2026-03-09', '2026-03-10'];
const GRACE = 5 * 60_000;
const closeOf = (date: string) => Date.parse(`${date}T00:00:00Z`) + 86_400_000 + GRACE + 1;
const redis = await realEngine('redis');
const run = `test:replay-cli:${randomUUID()}:`;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  if (redis.available) await removeKeys(redis.url, `${run}*`);
});

/** A data dir as `npm start` leaves it: the app's file log (held open by a writer, as a running app holds it) and its lake. */
async function dataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'replay-cli-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true, maxRetries: 5 })); // retries: a closing writer may still add a file (ENOTEMPTY)
  const log = await createFileLog({ dir: join(dir, 'analytics', 'events'), partitions: PARTITIONS });
  cleanups.push(() => log.close());
  const lake = await createLocalObjectStore(localLakeDir(dir));
  cleanups.push(() => lake.close());
  const prefix = `${run}${randomUUID()}:`;
  const env = { DATA_DIR: dir, REDIS_URL: redis.url, ANALYTICS_REDIS_PREFIX: prefix, ANALYTICS_LOG_PARTITIONS: String(PARTITIONS), LOG_LEVEL: 'silent' };
  return { dir, log, lake, prefix, env };
}

/** Runs the CLI in-process and keeps what it printed; no terminal to ask unless the test gives one. */
async function replay(argv: string[], context: Partial<ReplayContext> & { env: NodeJS.ProcessEnv }) {
  const out: string[] = [];
  const err: string[] = [];
  const progress: BatchProgress[] = [];
  const output = { log: (l: string) => out.push(l), error: (l: string) => err.push(l), progress: { update: (p: BatchProgress) => progress.push(p), done: () => {} } };
  const code = await main(argv, { out: output, ask: undefined, ...context });
  return { code, out: out.join('\n'), err: err.join('\n'), progress };
}

async function caughtUp(log: EventLog, store: AggregateStore) {
  const positions = await store.positions([...Array(PARTITIONS).keys()]);
  for (let p = 0; p < PARTITIONS; p++) if ((positions.get(p) ?? 0) !== (await log.bounds(p)).next) return false;
  return true;
}

/** The tenants in the app's tenant store, page goals of acme and globex in its goal store: the speed views count them, so must a replay. */
async function defineGoals(prefix: string) {
  const tenantStore = await openTenantStore({ redisUrl: redis.url, dataDir: '', prefix });
  cleanups.push(() => tenantStore.close());
  const tenants = createTenantsApi({ store: tenantStore, defaults: { dailyQuota: 1_000_000, rateLimitPerSecond: 1000 }, keyCacheTtlMs: 0 });
  for (const id of TENANTS) expect((await tenants.createTenant({ id, name: id, timeZone: 'UTC' })).ok).toBe(true);
  const goals = createRedisGoalStore(redis.url, prefix);
  cleanups.push(() => goals.close());
  for (const [i, tenantId] of ['acme', 'globex'].entries()) {
    await goals.add({ id: randomUUID(), tenantId, createdAt: `2026-01-0${i + 1}T00:00:00Z`, name: 'Pages 1x', kind: 'page', path: '/p1*' }, 10);
  }
  const cache = await watchGoals(goals, async () => TENANTS, { everyMs: 3_600_000 });
  cleanups.push(() => cache.stop());
  return cache;
}

/** Events in the log, one person of acme erased, goals defined, and the speed views a live speed layer built from them (leaving the person out). */
async function liveSpeedViews(engines: Awaited<ReturnType<typeof dataDir>>) {
  const { log, lake, prefix } = engines;
  const goals = await defineGoals(prefix);
  const events = variedEvents({ now: NOW, count: 3000, tenants: TENANTS, seed: 21, person: PERSON });
  await recordErasure(lake, PERSON.tenantId, erasedIdentities(PERSON.tenantId, { userIds: [PERSON.userId], anonymousIds: [PERSON.anonymousId] }));
  const erasures = await loadErasures(lake);
  const erased = events.filter(erasures.isErased).length;
  expect(erased).toBeGreaterThan(0);

  const store = createRedisAggregateStore(redis.url, { prefix });
  cleanups.push(() => store.close());
  const speed = startSpeedLayer({ log, store, logger, now: () => NOW, flushMs: 20, exclude: erasures.isErased, goals: goals.goalsOf });
  cleanups.push(() => speed.stop());
  for (let i = 0; i < events.length; i += 500) await log.append(events.slice(i, i + 500).map((value) => ({ key: value.tenantId, value })));
  await until('the live speed layer to consume the log', () => caughtUp(log, store), 60_000);
  await speed.stop();
  const buckets = bucketsOf(events);
  const snapshot = () => snapshotStore(store, TENANTS, buckets);
  const conversions = await store.read({ tenantId: 'acme', metric: 'goal_conversions', kind: 'count', resolution: 'quarter', buckets: buckets.quarter });
  expect(conversions.reduce((n, r) => n + (r.total?.kind === 'count' ? r.total.amount : 0), 0)).toBeGreaterThan(0);
  return { store, events, erased, snapshot, live: await snapshot() };
}

/** Raw files as the archiver writes them, and the batch views the scheduled runs built from them (with the goals under `prefix`), day by day. */
async function liveBatchViews(lake: ObjectStore, lakeDir: string, prefix: string) {
  const goals = createRedisGoalStore(redis.url, prefix);
  cleanups.push(() => goals.close());
  await writeRaw(lakeDir, [
    ...generateEvents('acme', 1500, '2026-03-07T23:00:00Z', '2026-03-11T00:00:00Z', 31, 15 * 60_000),
    ...generateEvents('globex', 300, '2026-03-09T00:00:00Z', '2026-03-10T00:00:00Z', 32),
  ], { duplicateEvery: 9, perFile: 120 });
  for (const day of DAYS) await runBatch({ lake, tenants: ['acme', 'globex'], now: closeOf(day), graceMs: GRACE, goals: (t) => goals.list(t) });
  const snapshot = async () => ({
    views: Object.fromEntries(await Promise.all((await lake.list('views/')).map(async (k) => [k, Buffer.from((await lake.get(k))!).toString('base64')]))),
    acme: await batchAnswers(lake, 'acme', DAYS),
    globex: await batchAnswers(lake, 'globex', ['2026-03-09']),
    watermarks: [await readWatermark(lake, 'acme'), await readWatermark(lake, 'globex')],
  });
  const live = await snapshot();
  expect(live.acme.cells).toBeGreaterThan(500);
  expect(live.watermarks).toEqual([Date.parse('2026-03-11T00:00:00Z'), Date.parse('2026-03-11T00:00:00Z')]);
  return { snapshot, live };
}

async function deleteAll(lake: ObjectStore, prefix: string) {
  for (const key of await lake.list(prefix)) await lake.delete(key);
}

describe('npm run replay', () => {
  it.skipIf(!redis.available)('speed --tenant rebuilds a tenant from the log, erased person left out, while the app holds the log', { timeout: 120_000 }, async () => {
    const engines = await dataDir();
    const speed = await liveSpeedViews(engines);
    await speed.store.purgeTenant('acme');
    expect(await speed.snapshot()).not.toEqual(speed.live);

    const result = await replay(['speed', '--tenant', 'acme'], { env: engines.env });
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(await speed.snapshot()).toEqual(speed.live);
    expect(result.out).toMatch(new RegExp(`^speed acme: rebuilt from [\\d,]+ events of partition \\d .*, ${speed.erased} left out as erased\\) in [\\d.]+ s\\ndone in`));
  });

  it.skipIf(!redis.available)('all --yes clears and replays the speed views, and recomputes every tenant\'s batch views', { timeout: 180_000 }, async () => {
    const engines = await dataDir();
    const speed = await liveSpeedViews(engines);
    const batch = await liveBatchViews(engines.lake, localLakeDir(engines.dir), engines.prefix);
    // Derived data gone wrong: a stray count in the speed views, the batch views deleted but one stale watermark.
    const bucket = bucketsOf(speed.events).minute.at(-1)!;
    await speed.store.applyCells([{ cells: [{ tenantId: 'acme', metric: 'events', resolution: 'minute', bucket, series: null, kind: 'count', amount: 999 }], tenants: [] }]);
    await deleteAll(engines.lake, 'views/');
    await engines.lake.put('views/tenant=acme/_watermark.json', '{"watermark":"2026-01-02T00:00:00.000Z"}\n');
    expect(await speed.snapshot()).not.toEqual(speed.live);

    const result = await replay(['all', '--yes'], { env: engines.env, now: () => closeOf(DAYS.at(-1)!) });
    expect(result.code).toBe(0);
    expect(await speed.snapshot()).toEqual(speed.live);
    expect(await batch.snapshot()).toEqual(batch.live);
    expect(result.err).toMatch(/Every live speed layer must be stopped first/);
    expect(result.out).toContain(`speed: replayed ${speed.events.length.toLocaleString('en-US')} events of ${PARTITIONS} partitions (${speed.erased} left out as erased)`);
    // The stale watermark, and each computed day's columnar copy and its stamp (derived from the raw store too).
    expect(result.out).toMatch(/batch acme: 4 days from [\d,]+ raw events, 9 derived objects replaced, watermark 2026-03-11T00:00:00.000Z, in [\d.]+ s\n/);
    // globex has raw data on the 9th only: the 10th is recorded empty, not computed.
    expect(result.out).toMatch(/batch globex: 1 day from [\d,]+ raw events, 2 derived objects replaced, watermark 2026-03-11T00:00:00.000Z/);
    expect(result.progress.map((p) => `${p.tenantId} ${p.date}`)).toEqual(['acme 2026-03-07', ...DAYS.map((d) => `acme ${d}`), 'globex 2026-03-09']);
  });

  it.skipIf(!redis.available)('refuses a full speed replay unless confirmed, and leaves the views alone', { timeout: 120_000 }, async () => {
    const engines = await dataDir();
    const speed = await liveSpeedViews(engines);
    await speed.store.purgeTenant('globex');
    const damaged = await speed.snapshot();

    const unattended = await replay(['speed'], { env: engines.env });
    expect(unattended.code).toBe(2);
    expect(unattended.err).toMatch(/Every live speed layer must be stopped first[\s\S]*Not confirmed: pass --yes/);
    const declined = await replay(['speed'], { env: engines.env, ask: async () => 'no' });
    expect(declined.code).toBe(2);
    expect(await speed.snapshot()).toEqual(damaged);

    const questions: string[] = [];
    const confirmed = await replay(['speed'], { env: engines.env, ask: async (q) => (questions.push(q), ' YES\n') });
    expect(questions).toEqual([expect.stringMatching(/Type "yes"/)]);
    expect(confirmed.code).toBe(0);
    expect(await speed.snapshot()).toEqual(speed.live);
  });

  it('answers usage errors with exit code 2 and a message, before touching anything', async () => {
    const engines = await dataDir();
    const env = engines.env;
    expect((await replay(['--help'], { env })).out).toMatch(/^Usage: npm run replay -- <speed\|batch\|all>/);
    expect((await replay(['--help'], { env })).code).toBe(0);
    const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
      [[], env, /^No command/],
      [['rebuild'], env, /^Unknown command: rebuild/],
      [['batch', 'extra'], env, /^Unexpected argument: extra/],
      [['batch', '--since', 'x'], env, /Unknown option '--since'/],
      [['batch', '--tenant', '../raw'], env, /^Not a tenant id: "\.\.\/raw"/],
      [['speed', '--tenant', 'acme'], { ...env, REDIS_URL: '' }, /not in Redis \(REDIS_URL is not set\): they live in the running analytics app's memory/],
      [['all', '--yes'], { ...env, REDIS_URL: undefined }, /not in Redis/],
      [['batch'], { ...env, ANALYTICS_LOG_PARTITIONS: 'many' }, /^Invalid configuration: ANALYTICS_LOG_PARTITIONS/],
    ];
    for (const [argv, caseEnv, message] of cases) {
      const result = await replay(argv, { env: caseEnv });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err, argv.join(' ')).toMatch(message);
      expect(result.out, argv.join(' ')).toBe('');
    }
    expect(await engines.lake.list('')).toEqual([]);
  });

  it('prints a failure as one line and exits 1', async () => {
    const engines = await dataDir();
    const wrongCount = await replay(['speed', '--tenant', 'acme'], { env: { ...engines.env, ANALYTICS_LOG_PARTITIONS: '8' } });
    expect(wrongCount.code).toBe(1);
    expect(wrongCount.err).toMatch(/^replay failed: event log \S+ has 4 partitions, opened with 8$/);
    const noLog = await replay(['speed', '--tenant', 'acme'], { env: { ...engines.env, DATA_DIR: join(engines.dir, 'elsewhere') } });
    expect(noLog.code).toBe(1);
    expect(noLog.err).toMatch(/^replay failed: no event log at \S+elsewhere\/analytics\/events: is DATA_DIR the analytics app's\?$/);
  });

  it('runs as `npm run replay`, with the exit code of a usage error', async () => {
    const cli = join(import.meta.dirname, '../../src/cli/replay.ts');
    const failure = await promisify(execFile)('npx', ['tsx', cli, 'speed'], { env: { ...process.env, REDIS_URL: '' } }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/REDIS_URL is not set/);
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
