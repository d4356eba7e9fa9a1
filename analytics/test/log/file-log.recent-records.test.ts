import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { partitionFor } from '../../src/log/event-log.ts';
import { createFileLog, type FileEventLog } from '../../src/log/file-log.adapter.ts';
import { RecentRecords } from '../../src/log/recent-records.ts';
import { testRecord } from '../support/log-test-events.fixture.ts';

describe("the file log writer's recent records", () => {
  const dirs: string[] = [];
  const logs: FileEventLog[] = [];
  const open = async (dir: string, recentRecords?: number) => {
    const log = await createFileLog({ dir, partitions: 2, ...(recentRecords === undefined ? {} : { recentRecords }) });
    logs.push(log);
    return log;
  };
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'event-log-recent-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    await Promise.all(logs.splice(0).map((log) => log.close()));
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('hands readers in the writing process the appended values themselves, with their JSON text', async () => {
    const log = await open(await tempDir());
    const records = [testRecord('acme', 'a-1'), testRecord('acme', 'a-2')];
    await log.append(records);
    const got = await log.read(partitionFor('acme', 2), 0, { max: 10 });
    expect(got.map((r) => r.value)).toEqual(records.map((r) => r.value));
    // The same objects: no file read, no JSON parse.
    expect(got[0]!.value).toBe(records[0]!.value);
    expect(got[1]!.value).toBe(records[1]!.value);
    expect(got.map((r) => r.json)).toEqual(records.map((r) => JSON.stringify(r.value)));
  });

  it('reads from the file what is older than the window, equal to what the window held', async () => {
    const dir = await tempDir();
    const log = await open(dir, 2);
    const records = Array.from({ length: 10 }, (_, i) => testRecord('acme', `a-${i}`));
    for (const record of records) await log.append([record]);
    const p = partitionFor('acme', 2);
    const old = await log.read(p, 0, { max: 3 });
    expect(old.map((r) => r.offset)).toEqual([0, 1, 2]);
    expect(old[0]!.value).not.toBe(records[0]!.value);
    expect(old.map((r) => r.value)).toEqual(records.slice(0, 3).map((r) => r.value));
    const recent = await log.read(p, 9, { max: 3 });
    expect(recent[0]!.value).toBe(records[9]!.value);
    // A reopened log (a restart) reads the same records from the file.
    await log.close();
    const again = await open(dir, 0);
    const fromFile = await again.read(p, 0, { max: 10 });
    expect(fromFile.map((r) => ({ offset: r.offset, key: r.key, value: r.value }))).toEqual(records.map((r, offset) => ({ offset, key: r.key, value: r.value })));
  });

  it('keeps nothing with recentRecords 0: every read parses the file', async () => {
    const log = await open(await tempDir(), 0);
    const record = testRecord('acme', 'a-1');
    await log.append([record]);
    const [got] = await log.read(partitionFor('acme', 2), 0, { max: 1 });
    expect(got!.value).toEqual(record.value);
    expect(got!.value).not.toBe(record.value);
  });
});

describe('RecentRecords', () => {
  const record = (offset: number) => ({ partition: 0, offset, key: 'k', value: testRecord('k', `m-${offset}`).value });

  it('holds between the limit and twice the limit of the last records, and answers only inside them', () => {
    const recent = new RecentRecords(2);
    recent.push(0, [record(0), record(1), record(2), record(3)]);
    expect(recent.read(0, 10)?.map((r) => r.offset)).toEqual([0, 1, 2, 3]);
    recent.push(4, [record(4)]);
    expect(recent.read(0, 10)).toBeUndefined();
    expect(recent.read(2, 10)).toBeUndefined();
    expect(recent.read(3, 1)?.map((r) => r.offset)).toEqual([3]);
    expect(recent.read(5, 10)).toBeUndefined();
  });

  it('starts afresh after a gap in the offsets', () => {
    const recent = new RecentRecords(10);
    recent.push(0, [record(0)]);
    recent.push(5, [record(5)]);
    expect(recent.read(0, 10)).toBeUndefined();
    expect(recent.read(5, 10)?.map((r) => r.offset)).toEqual([5]);
  });
});
