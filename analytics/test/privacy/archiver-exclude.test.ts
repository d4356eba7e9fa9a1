import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { flushIntentKey, positionKey, startArchiver } from '../../src/archive/index.ts';
import { createFileLog, type FileEventLog } from '../../src/log/index.ts';
import { erasedIdentities, recordErasure, watchErasures, type ErasureWatcher } from '../../src/privacy/index.ts';
import { createLocalObjectStore, type ObjectStore } from '../../src/storage/index.ts';
import { readRaw, waitArchived } from '../archive/archive.fixture.ts';
import { dataset, grep, isPersons, PARTITIONS, PERSON, PERSON_IDS, recordingStore, TENANT } from './privacy.fixture.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const dirs: string[] = [];
const tempDir = async (label: string) => {
  const dir = await mkdtemp(join(tmpdir(), `archiver-exclude-${label}-`));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const events = dataset();
const others = events.filter((e) => !isPersons(e));
const erasure = () => erasedIdentities(TENANT, { userIds: [PERSON.userId, PERSON.aliasedUserId, 'p-anon-3'], anonymousIds: [...PERSON.anonymousIds, PERSON.userId] });

async function logOfDataset(): Promise<FileEventLog> {
  const log = await createFileLog({ dir: await tempDir('log'), partitions: PARTITIONS, groupCommitMs: 0 });
  await log.append(events.map((value) => ({ key: value.tenantId, value })));
  return log;
}

async function archive(log: FileEventLog, store: ObjectStore, watcher: ErasureWatcher, flushRecords = 100) {
  const archiver = startArchiver({ log, store, logger, flushRecords, flushMs: 20, exclude: watcher.isErased, syncExclude: watcher.sync });
  await waitArchived(store, log);
  await archiver.stop();
  return archiver.stats();
}

/** Every archived line is someone else's, each exactly once, and no object of the tenant names the person. */
async function expectPersonAbsent(store: ObjectStore): Promise<void> {
  const { lines } = await readRaw(store);
  expect(lines.map((l) => l.event.messageId).sort()).toEqual(others.map((e) => e.messageId).sort());
  expect(await grep(store, PERSON_IDS).then((hits) => hits.filter((h) => h.includes(`tenant=${TENANT}/`)))).toEqual([]);
}

describe('archiver with an erasure list', () => {
  it('never writes an erased person, still advances past their records, and rewrites identical files on a replay', async () => {
    const log = await logOfDataset();
    const store = await createLocalObjectStore(await tempDir('lake'));
    await recordErasure(store, TENANT, erasure());
    const watcher = await watchErasures({ store, intervalMs: 60_000 });
    try {
      const stats = await archive(log, store, watcher);
      expect(stats.excluded).toBe(events.length - others.length);
      expect(stats.events).toBe(others.length);
      await expectPersonAbsent(store);
      // Left out from the first write: nothing was overwritten, so no rewrite marker.
      expect((await store.list('raw/')).filter((k) => k.endsWith('.rewritten'))).toEqual([]);

      // Archived again from the start with the same list: the same objects, byte for byte.
      const first = (await readRaw(store)).objects;
      for (let p = 0; p < PARTITIONS; p++) {
        await store.delete(positionKey(p));
        await store.delete(flushIntentKey(p));
      }
      await archive(log, store, watcher);
      const second = (await readRaw(store)).objects;
      expect([...second.keys()]).toEqual([...first.keys()]);
      for (const [key, body] of first) expect(second.get(key)!.equals(body), key).toBe(true);
    } finally {
      await watcher.stop();
      await log.close();
    }
  });

  it('rewrites a flush whose objects were put after an erasure it had not seen yet', async () => {
    const log = await logOfDataset();
    const lake = await createLocalObjectStore(await tempDir('lake'));
    // A poll that never comes: only the sync after the puts can see the erasure.
    const watcher = await watchErasures({ store: lake, intervalMs: 600_000 });
    let recorded = false;
    // The erasure lands while the first flush is being written, after it was encoded with the old list.
    const store = recordingStore(lake, async (op, key) => {
      if (op === 'put' && key.startsWith('raw/') && !recorded) {
        recorded = true;
        await recordErasure(lake, TENANT, erasure());
      }
      return false;
    });
    try {
      // One flush per partition holds the whole log, including the person's hour nobody else was in.
      await archive(log, store, watcher, 5000);
      expect(recorded).toBe(true);
      // The lone hour (only the person's event) was written by the first attempt, then deleted.
      expect(store.deletes.some((k) => k.includes('date=2026-03-11/hour=23/'))).toBe(true);
      await expectPersonAbsent(lake);
      // Each hour that lost the person's lines is marked, after its objects: a batch that read them before sees the day change.
      const puts = store.puts.filter((k) => k.startsWith('raw/'));
      const marker = puts.findIndex((k) => k.endsWith('.rewritten') && k.includes('date=2026-03-11/hour=23/'));
      expect(marker).toBeGreaterThan(-1);
      const hourObjects = puts.map((k, i) => ({ k, i })).filter(({ k }) => k.endsWith('.ndjson') && k.includes('date=2026-03-11/'));
      expect(Math.max(...hourObjects.map(({ i }) => i))).toBeLessThan(marker);
    } finally {
      await watcher.stop();
      await log.close();
    }
  });

  it('a restart after a crash between objects and position redoes the flush with the list it reads then', async () => {
    const log = await logOfDataset();
    const lake = await createLocalObjectStore(await tempDir('lake'));
    let positionPuts = 0;
    const crashing = recordingStore(lake, (op, key) => {
      if (op === 'put' && key.startsWith('archive/positions/')) {
        positionPuts++;
        return true;
      }
      return false;
    });
    const before = await watchErasures({ store: lake, intervalMs: 600_000 });
    const crashed = startArchiver({ log, store: crashing, logger, flushRecords: 5000, flushMs: 20, exclude: before.isErased, syncExclude: before.sync });
    while (positionPuts < PARTITIONS) await new Promise((resolve) => setTimeout(resolve, 10));
    await crashed.stop();
    await before.stop();
    expect((await grep(lake, PERSON_IDS)).length).toBeGreaterThan(0);

    await recordErasure(lake, TENANT, erasure());
    const watcher = await watchErasures({ store: lake, intervalMs: 600_000 });
    try {
      await archive(log, lake, watcher, 5000);
      await expectPersonAbsent(lake);
    } finally {
      await watcher.stop();
      await log.close();
    }
  });
});
