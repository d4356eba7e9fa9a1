import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch, watermarkKey } from '../../src/batch/index.ts';
import { createLogger } from '@shop/platform';
import { type ErasureMatcher, type ErasureRequest, erasedIdentities, listErasureRequests, recordErasure } from '../../src/privacy/index.ts';
import { type ErasureRunnerOptions, erasePerson, resumeErasure, startErasureRunner } from '../../src/erasure/index.ts';
import { createLocalObjectStore, type ObjectStore } from '../../src/storage/index.ts';
import { batchAnswers } from '../batch/batch-answers.fixture.ts';
import { dataset, grep, isPersons, OTHER_TENANT, PERSON, PERSON_IDS, personEvents, recordingStore, snapshot, TENANT, writeArchived } from './privacy.fixture.ts';

const GRACE = 5 * 60_000;
const closeOf = (date: string) => Date.parse(`${date}T00:00:00Z`) + 86_400_000 + GRACE + 1;
const DAYS = ['2026-03-09', '2026-03-10', '2026-03-11'];
// The 9th to 11th are closed and have views; the 12th is still open.
const NOW = closeOf('2026-03-11') + 3_600_000;
const dirs: string[] = [];
const newStore = async (label: string) => {
  const dir = await mkdtemp(join(tmpdir(), `erase-person-${label}-`));
  dirs.push(dir);
  return createLocalObjectStore(dir);
};
afterAll(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const events = dataset();
const erased = personEvents();
let expected: Awaited<ReturnType<typeof batchAnswers>>;
let expectedLater: Awaited<ReturnType<typeof batchAnswers>>;
let template: string;

/** A lake as production leaves it: everyone archived, the batch run up to NOW (a copy of one built once). */
async function productionLake(label: string): Promise<ObjectStore> {
  const store = await newStore(label);
  await cp(template, store.rootDir, { recursive: true });
  return store;
}

beforeAll(async () => {
  const built = await newStore('template');
  await writeArchived(built, events);
  await runBatch({ lake: built, tenants: [TENANT, OTHER_TENANT], now: NOW, graceMs: GRACE });
  template = built.rootDir;
  // The reference: a lake that never had the person.
  const scratch = await newStore('scratch');
  await writeArchived(scratch, events.filter((e) => !isPersons(e)));
  await runBatch({ lake: scratch, tenants: [TENANT], now: NOW, graceMs: GRACE });
  expected = await batchAnswers(scratch, TENANT, DAYS);
  await runBatch({ lake: scratch, tenants: [TENANT], now: closeOf('2026-03-12'), graceMs: GRACE });
  expectedLater = await batchAnswers(scratch, TENANT, ['2026-03-12']);
}, 120_000);

const speedRebuilds = () => {
  const calls: Array<{ tenantId: string; matcher: ErasureMatcher }> = [];
  return { calls, rebuildSpeed: async (tenantId: string, matcher: ErasureMatcher) => void calls.push({ tenantId, matcher }) };
};

/** A runner on `store` for these tests: the lake's clock, no timed passes (the test nudges or polls), `errors` counting its error logs. */
function testRunner(store: ObjectStore, options: Partial<ErasureRunnerOptions> = {}) {
  const errors: string[] = [];
  const logger = createLogger('erasure-runner-test', 'silent');
  const runner = startErasureRunner({
    store,
    logger: Object.assign(Object.create(logger) as typeof logger, { error: (_: unknown, message: string) => void errors.push(message) }),
    now: () => new Date(NOW),
    graceMs: GRACE,
    intervalMs: 3_600_000,
    ...options,
  });
  return Object.assign(runner, { errors });
}

/** What must hold once the person is erased, however many runs it took. */
async function expectErased(store: ObjectStore, calls: Array<{ tenantId: string; matcher: ErasureMatcher }>) {
  const [request, ...more] = await listErasureRequests(store, TENANT);
  expect(more).toEqual([]);
  expect(request).toMatchObject({ tenantId: TENANT, status: 'done', dates: [...DAYS, '2026-03-12'], recomputedDates: DAYS });
  expect(request!.counts).toMatchObject({ identities: 7, objectsDeleted: 1, linesRemoved: erased.length, datesRecomputed: 3 });
  // Not one object of the tenant, nor the erasure list, names the person any more.
  const hits = await grep(store, [...PERSON_IDS, 'p@example.com']);
  expect(hits.filter((h) => !h.includes(`tenant=${OTHER_TENANT}/`))).toEqual([]);
  // Every answer of every metric over the affected days is that of a lake that never had the person.
  expect(await batchAnswers(store, TENANT, DAYS)).toEqual(expected);
  // The speed layer was rebuilt once with a matcher that drops exactly the person.
  expect(calls.map((c) => c.tenantId)).toEqual([TENANT]);
  const { matcher } = calls[0]!;
  expect(events.filter((e) => matcher.isErased(e)).map((e) => e.messageId)).toEqual(events.filter(isPersons).map((e) => e.messageId));
}

describe('erasePerson on the lake', () => {
  it('removes the person from the raw store and every batch answer, touching nothing else; a rerun is a no-op', async () => {
    const store = await productionLake('main');
    const before = await snapshot(store);
    const speed = speedRebuilds();
    const steps: string[] = [];

    const result = await erasePerson({
      store,
      tenantId: TENANT,
      userId: PERSON.userId,
      now: () => new Date(NOW),
      graceMs: GRACE,
      rebuildSpeed: speed.rebuildSpeed,
      onStep: (step) => steps.push(step),
    });
    expect(result.alreadyDone).toBe(false);
    expect(steps).toEqual(['recorded', 'expanded', 'rewritten', 'recomputed', 'speed rebuilt', 'done']);
    await expectErased(store, speed.calls);

    // Untouched: the other tenant entirely, the tenant's raw objects without the person, and its watermark.
    const after = await snapshot(store);
    const rewritten = new Set(Object.keys(result.request.rewritten));
    expect(rewritten.size).toBe(result.request.counts!.objectsRewritten);
    for (const [key, bytes] of before) {
      // The recomputed days' views, and their columnar copies, compacted again from the rewritten objects.
      const derived = key.startsWith(`views/tenant=${TENANT}/date=`) || key.startsWith(`columnar/tenant=${TENANT}/date=`);
      const mayChange = rewritten.has(key) || (derived && DAYS.some((d) => key.includes(d)));
      if (!mayChange) expect(after.get(key)?.equals(bytes), key).toBe(true);
    }
    expect(after.get(watermarkKey(TENANT))!.equals(before.get(watermarkKey(TENANT))!)).toBe(true);

    // The open day is computed later, by the scheduled batch, from the cleaned raw store.
    await runBatch({ lake: store, tenants: [TENANT], now: closeOf('2026-03-12'), graceMs: GRACE });
    expect(await batchAnswers(store, TENANT, ['2026-03-12'])).toEqual(expectedLater);

    // Again: the request is done, nothing is read or written.
    const watched = recordingStore(store);
    const again = await erasePerson({ store: watched, tenantId: TENANT, userId: PERSON.userId, now: () => new Date(NOW), graceMs: GRACE, rebuildSpeed: speed.rebuildSpeed });
    expect(again.alreadyDone).toBe(true);
    expect([...watched.puts, ...watched.deletes]).toEqual([]);
    expect(speed.calls).toHaveLength(1);
  }, 120_000);

  it('refuses an erasure of nobody', async () => {
    const store = await newStore('nobody');
    await expect(erasePerson({ store, tenantId: TENANT, anonymousIds: [] })).rejects.toThrow(RangeError);
  });

  describe.each([
    ['while rewriting raw objects', (n: { raw: number }) => (op: string, key: string) => key.startsWith(`raw/tenant=${TENANT}/`) && ++n.raw === 3],
    ['while recomputing the batch views', () => (op: string, key: string) => op === 'put' && key === `views/tenant=${TENANT}/date=2026-03-10/stats.json`],
    ['in the speed rebuild', () => () => false],
  ] as const)('interrupted %s', (what, failOn) => {
    it('a rerun completes the erasure', async () => {
      const store = await productionLake('crash');
      const speed = speedRebuilds();
      let speedFailures = what === 'in the speed rebuild' ? 1 : 0;
      const crashing = recordingStore(store, failOn({ raw: 0 }));
      const options = {
        tenantId: TENANT,
        userId: PERSON.userId,
        now: () => new Date(NOW),
        graceMs: GRACE,
        rebuildSpeed: async (tenantId: string, matcher: ErasureMatcher) => {
          if (speedFailures-- > 0) throw new Error('injected: speed rebuild failed');
          await speed.rebuildSpeed(tenantId, matcher);
        },
      };
      await expect(erasePerson({ store: crashing, ...options })).rejects.toThrow(/injected/);
      expect((await listErasureRequests(store)).map((r) => r.status)).toEqual(['pending']);

      const rerun = await erasePerson({ store, ...options });
      expect(rerun.alreadyDone).toBe(false);
      await expectErased(store, speed.calls);
    }, 120_000);
  });

  it('the erasure runner completes a request recorded by the admin API (digests only), retrying a failed pass', async () => {
    const store = await productionLake('runner');
    await recordErasure(store, TENANT, erasedIdentities(TENANT, { userIds: [PERSON.userId] }), () => new Date(NOW));
    const speed = speedRebuilds();
    let failures = 1;
    const completed: ErasureRequest[] = [];
    const runner = testRunner(store, {
      rebuildSpeed: async (tenantId, matcher) => {
        if (failures-- > 0) throw new Error('injected: speed store unreachable');
        await speed.rebuildSpeed(tenantId, matcher);
      },
      onCompleted: (request) => completed.push(request),
    });
    try {
      // The first pass (started with the runner; a nudge before it begins shares it) fails at the speed step...
      await runner.nudge();
      expect((await listErasureRequests(store))[0]).toMatchObject({ status: 'pending', recomputedDates: DAYS });
      // ...and the next resumes there.
      await runner.nudge();
      await expectErased(store, speed.calls);
      expect(completed.map((r) => r.status)).toEqual(['done']);
      await runner.nudge();
      expect(speed.calls).toHaveLength(1);
    } finally {
      await runner.stop();
    }
  }, 60_000);

  it('the runner rebuilds the speed buckets of a request completed without them (the CLI, when the views live in the app)', async () => {
    const store = await productionLake('runner-speed');
    await erasePerson({ store, tenantId: TENANT, userId: PERSON.userId, now: () => new Date(NOW), graceMs: GRACE });
    expect((await listErasureRequests(store))[0]).not.toHaveProperty('speedRebuiltAt');
    const speed = speedRebuilds();
    const runner = testRunner(store, { rebuildSpeed: speed.rebuildSpeed });
    try {
      await runner.nudge();
      await runner.nudge();
      await expectErased(store, speed.calls);
      expect((await listErasureRequests(store))[0]).toHaveProperty('speedRebuiltAt');
    } finally {
      await runner.stop();
    }
  }, 60_000);

  it('a resume from a stale copy (another worker finished meanwhile) keeps every identity the other found', async () => {
    const store = await productionLake('stale');
    const stale = await recordErasure(store, TENANT, erasedIdentities(TENANT, { userIds: [PERSON.userId] }), () => new Date(NOW));
    const speed = speedRebuilds();
    await erasePerson({ store, tenantId: TENANT, userId: PERSON.userId, now: () => new Date(NOW), graceMs: GRACE, rebuildSpeed: speed.rebuildSpeed });
    // The copy read before the other worker ran says pending with one identity; the linking lines are gone now.
    expect(stale).toMatchObject({ status: 'pending', identities: [expect.anything()] });
    const resumed = await resumeErasure(stale, { store, now: () => new Date(NOW), graceMs: GRACE, rebuildSpeed: speed.rebuildSpeed });
    expect(resumed.alreadyDone).toBe(true);
    await expectErased(store, speed.calls);
  }, 60_000);

  it('stops between steps when aborted, and resumes from the last recorded one', async () => {
    const store = await productionLake('abort');
    const request = await recordErasure(store, TENANT, erasedIdentities(TENANT, { userIds: [PERSON.userId] }), () => new Date(NOW));
    const aborter = new AbortController();
    const options = { store, now: () => new Date(NOW), graceMs: GRACE };
    await expect(
      resumeErasure(request, { ...options, signal: aborter.signal, onStep: (step) => step === 'rewritten' && aborter.abort() }),
    ).rejects.toThrow(/abort/i);
    const [stopped] = await listErasureRequests(store);
    expect(stopped).toMatchObject({ status: 'pending' });
    expect(stopped!.rewrittenAt).toBeDefined();
    expect(stopped!.recomputedAt).toBeUndefined();
    const speed = speedRebuilds();
    await resumeErasure(stopped!, { ...options, rebuildSpeed: speed.rebuildSpeed });
    await expectErased(store, speed.calls);
  }, 60_000);

  it('the runner skips an unreadable request (reported) and completes the others', async () => {
    const store = await productionLake('corrupt');
    await store.put('erasures/tenant=aaa/er-000000000000000000000000.json', 'not json');
    await recordErasure(store, TENANT, erasedIdentities(TENANT, { userIds: [PERSON.userId] }), () => new Date(NOW));
    const speed = speedRebuilds();
    const runner = testRunner(store, { rebuildSpeed: speed.rebuildSpeed });
    try {
      await runner.nudge();
      await expectErased(store, speed.calls);
      expect(runner.errors).toContain('unreadable erasure request skipped; repair or delete it');
    } finally {
      await runner.stop();
    }
  }, 60_000);

  it('the runner backs off a failing request on its timer (doubling), while a nudge retries at once', async () => {
    const lake = await productionLake('backoff');
    await recordErasure(lake, TENANT, erasedIdentities(TENANT, { userIds: [PERSON.userId] }), () => new Date(NOW));
    // The raw rewrite cannot write (a store outage): each try scans the tenant's raw store again.
    const store = recordingStore(lake, (op, key) => op === 'put' && key.startsWith('raw/'));
    let clock = 0;
    const runner = testRunner(store, { retryBaseMs: 1000, clock: () => clock });
    // One error log per failed try.
    const attempts = () => runner.errors.length;
    try {
      await runner.nudge(); // the pass started with the runner: attempt 1, then wait 1 s
      expect(attempts()).toBe(1);
      await runner.poll();
      expect(attempts()).toBe(1);
      clock = 1001;
      await runner.poll(); // attempt 2, then wait 2 s
      clock = 3000;
      await runner.poll();
      expect(attempts()).toBe(2);
      clock = 3002;
      await runner.poll(); // attempt 3
      await runner.nudge(); // attempt 4: a nudge does not wait
      expect(attempts()).toBe(4);
      expect((await listErasureRequests(lake, TENANT))[0]).toMatchObject({ status: 'pending', expandedAt: expect.any(String) });
    } finally {
      await runner.stop();
    }
  }, 60_000);

  it('a failed speed rebuild (the tenant purged, partly rebuilt) is retried on the next pass, without a backoff', async () => {
    const store = await productionLake('speed-retry');
    await recordErasure(store, TENANT, erasedIdentities(TENANT, { userIds: [PERSON.userId] }), () => new Date(NOW));
    let attempts = 0;
    const runner = testRunner(store, {
      retryBaseMs: 1000,
      clock: () => 0,
      rebuildSpeed: async () => {
        attempts++;
        throw new Error('injected: speed store unreachable');
      },
    });
    try {
      await runner.nudge();
      await runner.poll();
      await runner.poll();
      expect(attempts).toBe(3);
    } finally {
      await runner.stop();
    }
  }, 60_000);
});
