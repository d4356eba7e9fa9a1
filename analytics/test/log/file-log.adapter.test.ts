import { mkdtemp, rm, readdir, appendFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventLogContract } from '../support/event-log.contract.ts';
import { partitionFor } from '../../src/log/event-log.ts';
import { createFileLog } from '../../src/log/file-log.adapter.ts';
import type { FileEventLog } from '../../src/log/file-log.adapter.ts';
import { EventLogLockedError } from '../../src/log/file-log.lock.ts';
import { EventLogCorruptError } from '../../src/log/file-partition.store.ts';
import { testRecord } from '../support/log-test-events.fixture.ts';

eventLogContract('file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'event-log-'));
  let now = Date.now();
  let log: FileEventLog | undefined;
  return {
    open: async () => (log = await createFileLog({ dir, partitions: 4, segmentBytes: 4096, retentionHours: 1, clock: () => now })),
    cleanup: () => rm(dir, { recursive: true, force: true }),
    // One retention pass two hours ahead, then the clock goes back: a reopen reads the segments'
    // age from their mtime, which is real time, so later writes must be stamped with it too.
    ageOut: async () => {
      now += 2 * 3_600_000;
      await log!.enforceRetention();
      now -= 2 * 3_600_000;
    },
  };
});

describe('file event log', () => {
  const dirs: string[] = [];
  const logs: FileEventLog[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'event-log-'));
    dirs.push(dir);
    return dir;
  };
  const open = async (options: Parameters<typeof createFileLog>[0]) => {
    const log = await createFileLog(options);
    logs.push(log);
    return log;
  };
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second writer on the same directory', async () => {
    const dir = await tempDir();
    await open({ dir, partitions: 2 });
    await expect(createFileLog({ dir, partitions: 2 })).rejects.toBeInstanceOf(EventLogLockedError);
  });

  it('takes over the lock left by a dead process', async () => {
    const dir = await tempDir();
    const log = await createFileLog({ dir, partitions: 2 });
    await log.append([testRecord('acme', 'x')]);
    await log.close();
    // A pid far above any real pid: the holder is gone, as after kill -9.
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'writer.lock'), '999999999');
    const again = await open({ dir, partitions: 2 });
    expect((await again.bounds(partitionFor('acme', 2))).next).toBe(1);
  });

  it('refuses to reopen with a different partition count', async () => {
    const dir = await tempDir();
    await (await createFileLog({ dir, partitions: 2 })).close();
    await expect(createFileLog({ dir, partitions: 3 })).rejects.toThrow(/2 partitions/);
  });

  it('rolls segments at segmentBytes and reads across them', async () => {
    const dir = await tempDir();
    const log = await open({ dir, partitions: 1, segmentBytes: 1024 });
    for (let i = 0; i < 30; i++) await log.append([testRecord('acme', `r-${i}`)]);
    expect((await readdir(join(dir, 'p-0'))).length).toBeGreaterThan(3);
    const records = await log.read(0, 0, { max: 100 });
    expect(records.map((r) => r.value.messageId)).toEqual(Array.from({ length: 30 }, (_, i) => `r-${i}`));
  });

  it('retention deletes whole old segments and moves bounds().first', async () => {
    const dir = await tempDir();
    let now = Date.parse('2026-11-25T00:00:00Z');
    const log = await open({ dir, partitions: 1, segmentBytes: 1024, retentionHours: 1, clock: () => now });
    for (let i = 0; i < 20; i++) await log.append([testRecord('acme', `old-${i}`)]);
    const oldNext = (await log.bounds(0)).next;
    now += 2 * 3_600_000;
    for (let i = 0; i < 20; i++) await log.append([testRecord('acme', `new-${i}`)]);
    now += 30 * 60_000;
    await log.enforceRetention();
    const { first, next } = await log.bounds(0);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(oldNext);
    expect(next).toBe(40);
    // Reading from a deleted offset starts at the first retained one; every new record survives.
    const records = await log.read(0, 0, { max: 100 });
    expect(records[0]!.offset).toBe(first);
    expect(records.filter((r) => r.value.messageId.startsWith('new-'))).toHaveLength(20);
    now += 2 * 3_600_000;
    await log.enforceRetention();
    expect(await log.bounds(0)).toEqual({ first: 40, next: 40 });
    await log.append([testRecord('acme', 'after')]);
    expect((await log.read(0, 0, { max: 10 })).map((r) => r.offset)).toEqual([40]);
  });

  it('truncates a torn tail on open and keeps accepting appends', async () => {
    const dir = await tempDir();
    const log = await createFileLog({ dir, partitions: 1 });
    await log.append([testRecord('acme', 'a'), testRecord('acme', 'b')]);
    await log.close();
    const [segment] = await readdir(join(dir, 'p-0'));
    const path = join(dir, 'p-0', segment!);
    const intactSize = (await stat(path)).size;
    // A frame header promising more bytes than follow, as a crash mid-write leaves it.
    const torn = Buffer.alloc(20);
    torn.writeUInt32BE(500, 0);
    await appendFile(path, torn);
    const reopened = await open({ dir, partitions: 1 });
    expect((await stat(path)).size).toBe(intactSize);
    await reopened.append([testRecord('acme', 'c')]);
    expect((await reopened.read(0, 0, { max: 10 })).map((r) => r.value.messageId)).toEqual(['a', 'b', 'c']);
  });

  it('stops at a frame whose CRC does not match', async () => {
    const dir = await tempDir();
    const log = await createFileLog({ dir, partitions: 1 });
    await log.append([testRecord('acme', 'a'), testRecord('acme', 'b')]);
    await log.close();
    const [segment] = await readdir(join(dir, 'p-0'));
    const path = join(dir, 'p-0', segment!);
    const { open: openFile } = await import('node:fs/promises');
    const handle = await openFile(path, 'r+');
    const size = (await handle.stat()).size;
    await handle.write(Buffer.from('X'), 0, 1, size - 3); // flip a byte inside the last frame's JSON
    await handle.close();
    const reopened = await open({ dir, partitions: 1 });
    expect((await reopened.read(0, 0, { max: 10 })).map((r) => r.value.messageId)).toEqual(['a']);
  });

  it('refuses to open when a sealed segment is damaged: that is data loss, not a torn write', async () => {
    const dir = await tempDir();
    const log = await createFileLog({ dir, partitions: 1, segmentBytes: 512 });
    for (let i = 0; i < 10; i++) await log.append([testRecord('acme', `r-${i}`)]);
    await log.close();
    const [sealed] = (await readdir(join(dir, 'p-0'))).sort();
    const { open: openFile } = await import('node:fs/promises');
    const handle = await openFile(join(dir, 'p-0', sealed!), 'r+');
    await handle.write(Buffer.from('X'), 0, 1, 20);
    await handle.close();
    await expect(createFileLog({ dir, partitions: 1 })).rejects.toBeInstanceOf(EventLogCorruptError);
  });

  it('serves a reader process: sees new appends, wakes on them, never writes', async () => {
    const dir = await tempDir();
    const writer = await open({ dir, partitions: 2 });
    await writer.append([testRecord('acme', 'one')]);
    const reader = await open({ dir, partitions: 2, mode: 'reader' });
    const p = partitionFor('acme', 2);
    expect((await reader.read(p, 0, { max: 10 })).map((r) => r.value.messageId)).toEqual(['one']);
    const waiting = reader.read(p, 1, { max: 10, waitMs: 120_000 });
    await writer.append([testRecord('acme', 'two')]);
    expect((await waiting).map((r) => [r.offset, r.value.messageId])).toEqual([[1, 'two']]);
    expect(await reader.bounds(p)).toEqual({ first: 0, next: 2 });
    await expect(reader.append([testRecord('acme', 'x')])).rejects.toThrow(/reader mode/);
  }, 20_000);
});
