import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { flushIntentKey, positionKey, startArchiver } from '../../src/archive/index.ts';
import { createFileLog, partitionFor, type FileEventLog } from '../../src/log/index.ts';
import { createLocalObjectStore, type ObjectStore } from '../../src/storage/index.ts';
import { objectStoreCases } from '@shop/platform/testing/object-store';
import { archiveEvent, archiveRecords, readRaw, TENANTS, waitArchived } from './archive.fixture.ts';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const PARTITIONS = 4;
const { local, s3, tempDir } = objectStoreCases('archiver');

async function logWith(count: number): Promise<FileEventLog> {
  const log = await createFileLog({ dir: await tempDir('log'), partitions: PARTITIONS, groupCommitMs: 0 });
  if (count > 0) await log.append(archiveRecords(0, count));
  return log;
}

async function archiveAll(log: FileEventLog, store: ObjectStore, flushRecords = 100): Promise<void> {
  const archiver = startArchiver({ log, store, logger, flushRecords, flushMs: 20 });
  await waitArchived(store, log);
  await archiver.stop();
}

/** Each appended record exactly once, unchanged, and per partition the flush ranges tile [first, next). */
async function expectExactlyOnce(store: ObjectStore, log: FileEventLog, messageIds: string[]): Promise<void> {
  const { lines } = await readRaw(store);
  const byId = new Map(lines.map((l) => [l.event.messageId, l]));
  expect(lines.length).toBe(messageIds.length);
  expect(new Set(byId.keys())).toEqual(new Set(messageIds));
  for (let p = 0; p < PARTITIONS; p++) {
    const ranges = [...new Set(lines.filter((l) => l.name.partition === p).map((l) => `${l.name.from}-${l.name.to}`))]
      .map((r) => r.split('-').map(Number) as [number, number])
      .sort((a, b) => a[0] - b[0]);
    const { first, next } = await log.bounds(p);
    let at = first;
    for (const [from, to] of ranges) {
      expect(from, `partition ${p} ranges ${JSON.stringify(ranges)}`).toBe(at);
      at = to;
    }
    expect(at).toBe(next);
  }
}

// Fewer records on s3rver: every request there is slow, and the property does not need more.
for (const { name, open, count } of [
  { ...local, count: 700 },
  { ...s3, count: 300 },
]) {
  describe(`archiver on ${name}`, () => {
    it('writes every record of the log to exactly one raw line, in the specified layout', async () => {
      const log = await logWith(count);
      const store = await open();
      await archiveAll(log, store);

      await expectExactlyOnce(store, log, archiveRecords(0, count).map((r) => r.value.messageId));
      const { lines } = await readRaw(store);
      for (const line of lines) {
        const original = archiveEvent(Number(line.event.messageId.slice(2)));
        expect(line.event).toEqual(original);
        expect(line.name.partition).toBe(partitionFor(original.tenantId, PARTITIONS));
      }
      // Lines of one object follow log order (for one tenant: append order).
      const keys = [...new Set(lines.map((l) => l.key))];
      for (const key of keys) {
        const ids = lines.filter((l) => l.key === key).map((l) => Number(l.event.messageId.slice(2)));
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
      }
      // Event 0 (acme, 22:xx on the 25th) opens its partition's first flush.
      const p0 = partitionFor('acme', PARTITIONS);
      const first = lines.find((l) => l.event.messageId === 'e-0')!;
      expect(first.key).toMatch(new RegExp(`^raw/tenant=acme/date=2026-11-25/hour=22/p${p0}-000000000000-\\d{12}\\.ndjson$`));
      expect(first.name.to).toBe(Math.min(100, (await log.bounds(p0)).next));
      // Three hours across midnight: both dates and all five tenants appear.
      expect(new Set(lines.map((l) => l.name.date))).toEqual(new Set(['2026-11-25', '2026-11-26']));
      expect(new Set(lines.map((l) => l.name.tenantId))).toEqual(new Set(TENANTS));
      expect(new Set(lines.map((l) => `${l.name.date}T${l.name.hour}`))).toEqual(new Set(['2026-11-25T22', '2026-11-25T23', '2026-11-26T00']));
      await log.close();
      await store.close();
    });
  });
}

describe('archiver recovery (local directory)', () => {
  it('archives again from position 0 into byte-identical objects and no extra ones', async () => {
    const log = await logWith(650);
    const store = await createLocalObjectStore(await tempDir('lake'));
    await archiveAll(log, store);
    const first = (await readRaw(store)).objects;

    for (let p = 0; p < PARTITIONS; p++) {
      await store.delete(positionKey(p));
      await store.delete(flushIntentKey(p));
    }
    for (const key of first.keys()) await store.put(key, 'clobbered\n');
    await archiveAll(log, store);
    const second = (await readRaw(store)).objects;
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [key, body] of first) expect(second.get(key)!.equals(body), key).toBe(true);
    await expectExactlyOnce(store, log, archiveRecords(0, 650).map((r) => r.value.messageId));
    await log.close();
  });

  it('loses and duplicates nothing when it stops after writing objects but before the position', async () => {
    const log = await logWith(250);
    const lake = await createLocalObjectStore(await tempDir('lake'));
    let positionPuts = 0;
    // Objects (and the flush intent) land; every position write fails, as in a crash between the two.
    const failing: ObjectStore = {
      ...lake,
      async put(key, body) {
        if (key.startsWith('archive/positions/')) {
          positionPuts++;
          throw new Error('injected: crash before the position');
        }
        await lake.put(key, body);
      },
    };
    const crashed = startArchiver({ log, store: failing, logger, flushRecords: 1000, flushMs: 20 });
    while (positionPuts < PARTITIONS) await new Promise((resolve) => setTimeout(resolve, 10));
    await crashed.stop();
    const before = await readRaw(lake);
    expect(before.lines.length).toBe(250);

    // The log grows meanwhile: a restart that flushed [position, end) now would write other names.
    await log.append(archiveRecords(250, 120));
    await archiveAll(log, lake, 1000);
    await expectExactlyOnce(lake, log, archiveRecords(0, 370).map((r) => r.value.messageId));
    // The interrupted flush was redone into the very same objects.
    const after = await readRaw(lake);
    for (const [key, body] of before.objects) expect(after.objects.get(key)!.equals(body), key).toBe(true);
    await log.close();
  });
});
