import { cp } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBatch, viewKey, type LakeStore, type RunBatchOptions } from '../../src/batch/index.ts';
import { erasedIdentities, recordErasure } from '../../src/privacy/index.ts';
import { erasePerson, resumeErasure } from '../../src/erasure/index.ts';
import { createLocalObjectStore, type LocalObjectStore } from '../../src/storage/index.ts';
import { dataset, isPersons, PERSON, TENANT, writeArchived } from '../privacy/privacy.fixture.ts';
import { batchAnswers } from './batch-answers.fixture.ts';
import { tempDirs } from '../support/temp-dirs.ts';

const GRACE = 5 * 60_000;
const closeOf = (date: string) => Date.parse(`${date}T00:00:00Z`) + 86_400_000 + GRACE + 1;
const DAYS = ['2026-03-09', '2026-03-10', '2026-03-11'];
const NOW = closeOf('2026-03-11') + 3_600_000;
const tempDir = tempDirs('erasure-race');
const newStore = async () => createLocalObjectStore(await tempDir());

const events = dataset();
let expected: Awaited<ReturnType<typeof batchAnswers>>;
let archived: string;

/** A lake holding everyone's raw objects and no views yet. */
async function lake(): Promise<LocalObjectStore> {
  const store = await newStore();
  await cp(archived, store.rootDir, { recursive: true });
  return store;
}

const erase = (store: LocalObjectStore) => erasePerson({ store, tenantId: TENANT, userId: PERSON.userId, now: () => new Date(NOW), graceMs: GRACE });

/** A run that stops after computing `date` the first time, runs `meanwhile`, then goes on; records every computed day. */
function pausedOn(date: string, meanwhile: () => Promise<unknown>): Pick<RunBatchOptions, 'beforePublish'> & { computed: string[] } {
  const computed: string[] = [];
  return {
    computed,
    beforePublish: async (day) => {
      computed.push(day.date);
      if (day.date === date && computed.filter((d) => d === date).length === 1) await meanwhile();
    },
  };
}

beforeAll(async () => {
  const store = await newStore();
  await writeArchived(store, events);
  archived = store.rootDir;
  // The reference: a lake that never had the person.
  const scratch = await newStore();
  await writeArchived(scratch, events.filter((e) => !isPersons(e)));
  await runBatch({ lake: scratch, tenants: [TENANT], now: NOW, graceMs: GRACE });
  expected = await batchAnswers(scratch, TENANT, DAYS);
}, 120_000);

// An erasure that runs whole between a batch run's read of a day and its publish: the erasure's
// recompute either skips the day (no view yet) or recomputes it first, so without the guard the
// run's view, read before the rewrite, is what stays.
describe('a batch run racing an erasure of the same tenant', () => {
  it('the scheduled run computes again a new day an erasure rewrote meanwhile', async () => {
    const store = await lake();
    await runBatch({ lake: store, tenants: [TENANT], now: closeOf('2026-03-10'), graceMs: GRACE });
    const paused = pausedOn('2026-03-11', () => erase(store));
    const run = await runBatch({ lake: store, tenants: [TENANT], now: NOW, graceMs: GRACE, ...paused });
    expect(await batchAnswers(store, TENANT, DAYS)).toEqual(expected);
    expect(paused.computed).toEqual(['2026-03-11', '2026-03-11']);
    expect(run.periods.map((p) => p.date)).toEqual(['2026-03-11']);
    expect(run.watermarks[TENANT]).toBe(Date.parse('2026-03-12T00:00:00Z'));
  }, 120_000);

  it('a backfill computes again a day whose view the erasure recomputed meanwhile', async () => {
    const store = await lake();
    await runBatch({ lake: store, tenants: [TENANT], now: NOW, graceMs: GRACE });
    const paused = pausedOn('2026-03-10', async () => {
      const { request } = await erase(store);
      expect(request.recomputedDates).toEqual(DAYS);
    });
    await runBatch({ lake: store, tenants: [TENANT], now: NOW, from: '2026-03-10', to: '2026-03-10', graceMs: GRACE, ...paused });
    expect(await batchAnswers(store, TENANT, DAYS)).toEqual(expected);
    expect(paused.computed).toEqual(['2026-03-10', '2026-03-10']);
  }, 120_000);

  it('computes the day again when the erasure ends while the view is being put (a remote lake)', async () => {
    const store = await lake();
    await runBatch({ lake: store, tenants: [TENANT], now: closeOf('2026-03-10'), graceMs: GRACE });
    // No localPath: raw objects are downloaded and the view is published with one put, like S3.
    let puts = 0;
    const remote: LakeStore = {
      list: (prefix) => store.list(prefix),
      get: (key) => store.get(key),
      async put(key, body) {
        if (key === viewKey(TENANT, '2026-03-11') && ++puts === 1) await erase(store);
        await store.put(key, body);
      },
    };
    await runBatch({ lake: remote, tenants: [TENANT], now: NOW, graceMs: GRACE });
    expect(await batchAnswers(store, TENANT, DAYS)).toEqual(expected);
    expect(puts).toBe(2);
  }, 120_000);

  it('computes the day again when the erasure deletes a raw object after the run listed it', async () => {
    const store = await lake();
    await runBatch({ lake: store, tenants: [TENANT], now: closeOf('2026-03-10'), graceMs: GRACE });
    const day = `raw/tenant=${TENANT}/date=2026-03-11/`;
    const emptied = (await store.list(day)).filter((k) => k.includes('/hour=23/'));
    expect(emptied).toHaveLength(1); // the person's event at 23:40, alone in its hour
    let erased = false;
    const remote: LakeStore = {
      list: (prefix) => store.list(prefix),
      async get(key) {
        if (key.startsWith(day) && !erased) {
          erased = true;
          await erase(store);
        }
        return store.get(key);
      },
      put: (key, body) => store.put(key, body),
    };
    await runBatch({ lake: remote, tenants: [TENANT], now: NOW, graceMs: GRACE });
    expect(await store.get(emptied[0]!)).toBeNull();
    expect(await batchAnswers(store, TENANT, DAYS)).toEqual(expected);
  }, 120_000);

  it('publishes at once while a request is only recorded: its own recompute, later, finds the view', async () => {
    const store = await lake();
    await runBatch({ lake: store, tenants: [TENANT], now: closeOf('2026-03-10'), graceMs: GRACE });
    let recorded: Awaited<ReturnType<typeof recordErasure>> | undefined;
    const paused = pausedOn('2026-03-11', async () => {
      recorded = await recordErasure(store, TENANT, erasedIdentities(TENANT, { userIds: [PERSON.userId] }), () => new Date(NOW));
    });
    const run = await runBatch({ lake: store, tenants: [TENANT], now: NOW, graceMs: GRACE, ...paused });
    // A pending request holds nothing up: B moves on, and no day is computed twice.
    expect(paused.computed).toEqual(['2026-03-11']);
    expect(run.watermarks[TENANT]).toBe(Date.parse('2026-03-12T00:00:00Z'));
    const { request } = await resumeErasure(recorded!, { store, now: () => new Date(NOW), graceMs: GRACE });
    expect(request.status).toBe('done');
    expect(request.recomputedDates).toEqual(DAYS);
    expect(await batchAnswers(store, TENANT, DAYS)).toEqual(expected);
  }, 120_000);
});
