import { describe, expect, it } from 'vitest';
import { partitionFor } from '../../src/log/event-log.ts';
import type { EventLog, LogRecord } from '../../src/log/event-log.ts';
import { testRecord } from './log-test-events.fixture.ts';

/** One isolated log (its own directory, stream prefix or topic) that can be opened again after close. */
export interface EventLogFixture {
  /** Opens the fixture's log; calling it again after `close` reopens the same data. */
  open(): Promise<EventLog>;
  /** Removes everything the fixture created. */
  cleanup(): Promise<void>;
  /**
   * Makes the engine drop every record appended so far, as its retention does once they are old
   * enough (a clock moved past `retentionHours`, or what `max_age` / `retention.ms` would delete).
   */
  ageOut(): Promise<void>;
}

const PARTITIONS = 4;
const TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'wonka'];

/** A read record without its optional `jsonBytes`, which must be its value's JSON text as UTF-8 when an adapter gives them. */
function withoutJson({ jsonBytes, ...record }: LogRecord): LogRecord {
  if (jsonBytes !== undefined) expect(Buffer.from(jsonBytes).toString('utf8')).toBe(JSON.stringify(record.value));
  return record;
}

async function readAll(log: EventLog, partition: number): Promise<LogRecord[]> {
  const { first, next } = await log.bounds(partition);
  const out: LogRecord[] = [];
  let from = first;
  while (from < next) {
    const batch = await log.read(partition, from, { max: 37 });
    if (batch.length === 0) throw new Error(`read(${partition}, ${from}) returned nothing below next=${next}`);
    out.push(...batch.map(withoutJson));
    from = batch.at(-1)!.offset + 1;
  }
  return out;
}

async function readEverything(log: EventLog): Promise<LogRecord[]> {
  const all: LogRecord[] = [];
  for (let p = 0; p < log.partitions; p++) all.push(...(await readAll(log, p)));
  return all;
}

/**
 * The behaviour every `EventLog` adapter must show. `makeFixture` is called once per test and
 * must return an isolated log with `PARTITIONS` (4) partitions.
 * `skipReason` skips the suite with the reason in its title (only for an unreachable optional engine).
 */
export function eventLogContract(name: string, makeFixture: () => Promise<EventLogFixture>, skipReason?: string): void {
  const suite = skipReason ? describe.skip : describe;
  const title = skipReason ? `${name} event log contract (skipped: ${skipReason})` : `${name} event log contract`;

  async function withLog(test: (log: EventLog, fixture: EventLogFixture) => Promise<void>): Promise<void> {
    const fixture = await makeFixture();
    let log: EventLog | undefined;
    try {
      log = await fixture.open();
      await test(log, fixture);
    } finally {
      await log?.close().catch(() => {});
      await fixture.cleanup();
    }
  }

  suite(title, () => {
    it('starts empty, with the partition count it was given', () =>
      withLog(async (log) => {
        expect(log.partitions).toBe(PARTITIONS);
        for (let p = 0; p < PARTITIONS; p++) expect(await log.bounds(p)).toEqual({ first: 0, next: 0 });
        expect(await log.read(0, 0, { max: 10 })).toEqual([]);
      }));

    it('puts each key on partitionFor(key) and keeps append order within a partition, with dense offsets', () =>
      withLog(async (log) => {
        const expected = new Map<number, string[]>();
        for (let call = 0; call < 6; call++) {
          const records = TENANTS.flatMap((t) => [0, 1, 2].map((i) => testRecord(t, `${t}-${call}-${i}`)));
          await log.append(records);
          for (const r of records) {
            const p = partitionFor(r.key, PARTITIONS);
            expected.set(p, [...(expected.get(p) ?? []), r.value.messageId]);
          }
        }
        let total = 0;
        for (let p = 0; p < PARTITIONS; p++) {
          const records = await readAll(log, p);
          total += records.length;
          expect(records.map((r) => r.value.messageId)).toEqual(expected.get(p) ?? []);
          expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => i));
          for (const r of records) {
            expect(r.partition).toBe(p);
            expect(partitionFor(r.key, PARTITIONS)).toBe(p);
            expect(r.value.tenantId).toBe(r.key);
          }
          expect(await log.bounds(p)).toEqual({ first: 0, next: records.length });
        }
        expect(total).toBe(6 * TENANTS.length * 3);
      }));

    it('keeps the stored value intact', () =>
      withLog(async (log) => {
        const record = testRecord('acme', 'intact-1');
        await log.append([record]);
        const [got] = await log.read(partitionFor('acme', PARTITIONS), 0, { max: 1 });
        expect(withoutJson(got!)).toEqual({ partition: partitionFor('acme', PARTITIONS), offset: 0, key: 'acme', value: record.value });
      }));

    it('reads from an offset in the middle, at most max records', () =>
      withLog(async (log) => {
        const p = partitionFor('acme', PARTITIONS);
        await log.append(Array.from({ length: 50 }, (_, i) => testRecord('acme', `m-${i}`)));
        const middle = await log.read(p, 20, { max: 5 });
        expect(middle.map((r) => [r.offset, r.value.messageId])).toEqual(
          [20, 21, 22, 23, 24].map((o) => [o, `m-${o}`]),
        );
        const tail = await log.read(p, 47, { max: 10 });
        expect(tail.map((r) => r.offset)).toEqual([47, 48, 49]);
        expect(await log.read(p, 50, { max: 10 })).toEqual([]);
      }));

    it('read at the end waits for an append and wakes on it', { timeout: 20_000 }, () =>
      withLog(async (log) => {
        const p = partitionFor('globex', PARTITIONS);
        await log.append([testRecord('globex', 'before')]);
        let settled = false;
        // waitMs far beyond this test's timeout: only a wake-up on append can make it pass.
        const waiting = log.read(p, 1, { max: 10, waitMs: 120_000 }).finally(() => (settled = true));
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(settled).toBe(false);
        await log.append([testRecord('globex', 'after')]);
        const records = await waiting;
        expect(records.map((r) => [r.offset, r.value.messageId])).toEqual([[1, 'after']]);
      }));

    it('close ends a waiting read', { timeout: 20_000 }, () =>
      withLog(async (log) => {
        const waiting = log.read(0, 0, { max: 10, waitMs: 120_000 });
        await new Promise((resolve) => setTimeout(resolve, 100));
        await log.close();
        expect(await waiting).toEqual([]);
      }));

    it('read at the end returns nothing once waitMs has passed', () =>
      withLog(async (log) => {
        expect(await log.read(1, 0, { max: 10, waitMs: 50 })).toEqual([]);
      }));

    it('keeps every record of many concurrent appends exactly once, in call order per key', () =>
      withLog(async (log) => {
        const calls = Array.from({ length: 40 }, (_, c) =>
          Array.from({ length: 25 }, (_, i) => testRecord(TENANTS[(c + i) % TENANTS.length]!, `c${c}-${i}`)),
        );
        await Promise.all(calls.map((records) => log.append(records)));
        const all = await readEverything(log);
        const ids = all.map((r) => r.value.messageId);
        expect(ids.length).toBe(1000);
        expect(new Set(ids).size).toBe(1000);
        // Within one call, a key's records keep their order.
        const indexOf = new Map(ids.map((id, i) => [id, i]));
        for (const [c, records] of calls.entries()) {
          for (const t of TENANTS) {
            const positions = records.filter((r) => r.key === t).map((r) => indexOf.get(r.value.messageId)!);
            expect(positions, `call ${c} tenant ${t}`).toEqual([...positions].sort((a, b) => a - b));
          }
        }
      }));

    it('keeps everything across close and reopen, and continues the offsets', () =>
      withLog(async (first, fixture) => {
        await first.append(TENANTS.map((t) => testRecord(t, `${t}-a`)));
        await first.append(TENANTS.map((t) => testRecord(t, `${t}-b`)));
        const before = await readEverything(first);
        await first.close();
        const again = await fixture.open();
        try {
          expect(await readEverything(again)).toEqual(before);
          await again.append([testRecord('acme', 'acme-c')]);
          const p = partitionFor('acme', PARTITIONS);
          const after = await readAll(again, p);
          expect(after.at(-1)).toMatchObject({ offset: before.filter((r) => r.partition === p).length, key: 'acme' });
        } finally {
          await again.close();
        }
      }));

    it('after retention, bounds().first is the first kept offset and reads from before it start there', () =>
      withLog(async (first, fixture) => {
        const p = partitionFor('acme', PARTITIONS);
        await first.append(Array.from({ length: 30 }, (_, i) => testRecord('acme', `old-${i}`)));
        await fixture.ageOut();
        expect(await first.bounds(p)).toEqual({ first: 30, next: 30 });
        expect(await first.read(p, 0, { max: 10 })).toEqual([]);
        await first.append(Array.from({ length: 5 }, (_, i) => testRecord('acme', `new-${i}`)));
        // A consumer whose saved position was deleted resumes at the low bound and misses nothing kept.
        const kept = await first.read(p, 12, { max: 100 });
        expect(kept.map((r) => [r.offset, r.value.messageId])).toEqual([30, 31, 32, 33, 34].map((o) => [o, `new-${o - 30}`]));
        await first.close();
        const again = await fixture.open();
        try {
          expect(await again.bounds(p)).toEqual({ first: 30, next: 35 });
          expect((await again.read(p, 0, { max: 100 })).map((r) => r.offset)).toEqual([30, 31, 32, 33, 34]);
        } finally {
          await again.close();
        }
      }));

    it('rejects a partition outside the log', () =>
      withLog(async (log) => {
        await expect(log.read(PARTITIONS, 0, { max: 1 })).rejects.toThrow(RangeError);
      }));
  });
}
