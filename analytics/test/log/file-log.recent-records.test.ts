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

  it('hands readers in the writing process the appended values themselves, with their JSON bytes from the frame', async () => {
    const log = await open(await tempDir());
    const records = [testRecord('acme', 'a-1'), testRecord('acme', 'a-2')];
    await log.append(records);
    const got = await log.read(partitionFor('acme', 2), 0, { max: 10 });
    expect(got.map((r) => r.value)).toEqual(records.map((r) => r.value));
    // The same objects: no file read, no JSON parse.
    expect(got[0]!.value).toBe(records[0]!.value);
    expect(got[1]!.value).toBe(records[1]!.value);
    expect(got.map((r) => Buffer.from(r.jsonBytes!).toString('utf8'))).toEqual(records.map((r) => JSON.stringify(r.value)));
  });

  it('reads from the file what is older than the window, equal to what the window held, JSON bytes included', async () => {
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
    // The value's JSON bytes come from the frame, as the writer serialised it.
    expect(fromFile.map((r) => Buffer.from(r.jsonBytes!).toString('utf8'))).toEqual(records.map((r) => JSON.stringify(r.value)));
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

  it('holds at most the last `limit` records', () => {
    const recent = new RecentRecords(2, 60_000);
    recent.push(0, [record(0), record(1), record(2)], 0);
    expect(recent.read(0, 10)).toBeUndefined();
    expect(recent.read(1, 10)?.map((r) => r.offset)).toEqual([1, 2]);
    recent.push(3, [record(3)], 0);
    expect(recent.read(1, 10)).toBeUndefined();
    expect(recent.read(2, 1)?.map((r) => r.offset)).toEqual([2]);
    expect(recent.read(4, 10)).toBeUndefined();
  });

  it('holds records only for `keepMs` after their append', () => {
    const recent = new RecentRecords(100, 1000);
    recent.push(0, [record(0)], 0);
    recent.push(1, [record(1)], 500);
    expect(recent.read(0, 10)?.map((r) => r.offset)).toEqual([0, 1]);
    recent.push(2, [record(2)], 1000);
    expect(recent.read(0, 10)).toBeUndefined();
    expect(recent.read(1, 10)?.map((r) => r.offset)).toEqual([1, 2]);
  });

  it('starts afresh after a gap in the offsets', () => {
    const recent = new RecentRecords(10, 60_000);
    recent.push(0, [record(0)], 0);
    recent.push(5, [record(5)], 0);
    expect(recent.read(0, 10)).toBeUndefined();
    expect(recent.read(5, 10)?.map((r) => r.offset)).toEqual([5]);
  });
});
