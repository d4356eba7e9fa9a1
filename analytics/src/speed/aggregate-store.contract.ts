import { describe, expect, it } from 'vitest';
import { HyperLogLog, hllPoint } from '../sketches/hyperloglog.ts';
import { TOPK_CELL_CAPACITY, bucketStart, type AggregateStore, type CellDelta, type PartitionBatch } from './aggregate-store.ts';

export interface StoreUnderTest {
  store: AggregateStore;
  /** Moves the store's clock forward (memory: injected clock; Redis: a real wait). */
  advance: (ms: number) => Promise<void>;
}

type Make = (options?: { retention?: { minuteMs: number; quarterMs: number } }) => Promise<StoreUnderTest>;

const MINUTE = 60_000;

/** The one contract both aggregate store adapters honour. */
export function aggregateStoreContract(name: string, make: Make, options: { skip?: boolean } = {}) {
  describe.skipIf(options.skip ?? false)(`AggregateStore contract: ${name}`, () => {
    const bucket = bucketStart(Date.now(), 'minute') - 5 * MINUTE;
    const count = (tenantId: string, metric: string, amount: number, series: CellDelta['series'] = null, b = bucket): CellDelta => ({
      tenantId,
      metric,
      resolution: 'minute',
      bucket: b,
      series,
      kind: 'count',
      amount,
    });
    const batch = (partition: number, from: number, to: number, cells: CellDelta[]): PartitionBatch => ({ partition, from, to, cells, tenants: [] });
    const total = async (store: AggregateStore, tenantId: string, metric: string, b = bucket) => {
      const [reading] = await store.read({ tenantId, metric, kind: 'count', resolution: 'minute', buckets: [b] });
      return reading?.total?.kind === 'count' ? reading.total.amount : null;
    };

    it('adds counts and exact sums per bucket and series, and reads breakdowns back', async () => {
      const { store } = await make();
      const path = (value: string) => ({ dimension: 'context.page.path' as const, value });
      await store.applyBatch([
        batch(0, 0, 3, [count('t1', 'pageviews', 3), count('t1', 'pageviews', 2, path('/a')), count('t1', 'pageviews', 1, path('/b'))]),
      ]);
      await store.applyBatch([
        batch(0, 3, 5, [
          count('t1', 'pageviews', 2),
          count('t1', 'pageviews', 2, path('/a')),
          { ...count('t1', 'revenue', 0), kind: 'sum', amount: 900719925474 },
        ]),
      ]);
      const [reading, empty] = await store.read({
        tenantId: 't1',
        metric: 'pageviews',
        kind: 'count',
        resolution: 'minute',
        buckets: [bucket, bucket + MINUTE],
        dimension: 'context.page.path',
      });
      expect(reading?.total).toEqual({ kind: 'count', amount: 5 });
      expect(Object.fromEntries(reading?.breakdown ?? [])).toEqual({ '/a': { kind: 'count', amount: 4 }, '/b': { kind: 'count', amount: 1 } });
      expect(empty).toEqual({ total: null, breakdown: new Map() });
      const [revenue] = await store.read({ tenantId: 't1', metric: 'revenue', kind: 'sum', resolution: 'minute', buckets: [bucket] });
      expect(revenue?.total).toEqual({ kind: 'sum', amount: 900719925474 });
      expect(await total(store, 't2', 'pageviews')).toBeNull();
      await store.close();
    });

    it('merges unique sketches register-wise across batches', async () => {
      const { store } = await make();
      const registersOf = (values: string[]) => {
        const registers = new Map<number, number>();
        for (const v of values) {
          const { index, rank } = hllPoint(v);
          registers.set(index, Math.max(rank, registers.get(index) ?? 0));
        }
        return registers;
      };
      const unique = (values: string[]): CellDelta => ({ ...count('t1', 'unique_users', 0), kind: 'unique', registers: registersOf(values) });
      const first = Array.from({ length: 3000 }, (_, i) => `u${i}`);
      const second = Array.from({ length: 3000 }, (_, i) => `u${i + 1500}`);
      await store.applyBatch([batch(0, 0, 1, [unique(first)])]);
      await store.applyBatch([batch(0, 1, 2, [unique(second)])]);
      const [reading] = await store.read({ tenantId: 't1', metric: 'unique_users', kind: 'unique', resolution: 'minute', buckets: [bucket] });
      const expected = new HyperLogLog();
      for (const v of [...first, ...second]) expected.add(v);
      expect(reading?.total?.kind).toBe('unique');
      if (reading?.total?.kind !== 'unique') return;
      expect(Buffer.from(reading.total.sketch.registers).equals(Buffer.from(expected.registers))).toBe(true);
      await store.close();
    });

    it('keeps top-K counts per item and folds items past the cell capacity into other', async () => {
      const { store } = await make();
      const topk = (items: [string, number][]): CellDelta => ({ ...count('t1', 'top_pages', 0), kind: 'topk', items: new Map(items) });
      await store.applyBatch([batch(0, 0, 1, [topk([['/home', 5], ['/cart', 2]])])]);
      const many = Array.from({ length: TOPK_CELL_CAPACITY }, (_, i): [string, number] => [`/p${i}`, 1]);
      await store.applyBatch([batch(0, 1, 2, [topk([['/home', 1], ...many])])]);
      const [reading] = await store.read({ tenantId: 't1', metric: 'top_pages', kind: 'topk', resolution: 'minute', buckets: [bucket] });
      if (reading?.total?.kind !== 'topk') throw new Error('expected a top-K cell');
      expect(reading.total.top.top(2)).toEqual([
        { item: '/home', count: 6 },
        { item: '/cart', count: 2 },
      ]);
      expect(reading.total.top.counts.size).toBe(TOPK_CELL_CAPACITY);
      expect(reading.total.top.other).toBe(2);
      expect(reading.total.top.total()).toBe(8 + TOPK_CELL_CAPACITY);
      await store.close();
    });

    it('applies a partition batch once: a replay is a duplicate, a gap or an overlap a conflict', async () => {
      const { store } = await make();
      expect(await store.positions([0, 1])).toEqual(new Map());
      expect(await store.applyBatch([batch(0, 0, 10, [count('t1', 'events', 10)])])).toEqual(['applied']);
      expect(await store.applyBatch([batch(0, 0, 10, [count('t1', 'events', 10)])])).toEqual(['duplicate']);
      expect(await store.applyBatch([batch(0, 4, 8, [count('t1', 'events', 4)])])).toEqual(['duplicate']);
      expect(await store.applyBatch([batch(0, 12, 15, [count('t1', 'events', 3)])])).toEqual(['conflict']);
      expect(await store.applyBatch([batch(0, 5, 15, [count('t1', 'events', 10)])])).toEqual(['conflict']);
      expect(await total(store, 't1', 'events')).toBe(10);
      expect(await store.positions([0, 1])).toEqual(new Map([[0, 10]]));
      await store.close();
    });

    it('judges each partition of a flush on its own position', async () => {
      const { store } = await make();
      await store.applyBatch([batch(0, 0, 2, [count('t1', 'events', 2)])]);
      const outcomes = await store.applyBatch([batch(0, 0, 2, [count('t1', 'events', 2)]), batch(1, 0, 3, [count('t2', 'events', 3)])]);
      expect(outcomes).toEqual(['duplicate', 'applied']);
      expect(await total(store, 't1', 'events')).toBe(2);
      expect(await total(store, 't2', 'events')).toBe(3);
      expect(await store.positions([0, 1])).toEqual(new Map([[0, 2], [1, 3]]));
      await store.close();
    });

    it('lets exactly one of several concurrent writers of the same records win', async () => {
      const { store } = await make();
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => store.applyBatch([batch(3, 0, 5, [count('t1', 'events', 5)])])));
      expect(outcomes.flat().filter((o) => o === 'applied')).toHaveLength(1);
      expect(await total(store, 't1', 'events')).toBe(5);
      await store.close();
    });

    it('adds tenant tallies and keeps the latest event and receive times', async () => {
      const { store } = await make();
      const tenant = (late: number, lastEventTime: number, lastReceivedAt: number) => ({ tenantId: 't1', late, rejected: 1, lastEventTime, lastReceivedAt });
      await store.applyBatch([{ ...batch(0, 0, 1, []), tenants: [tenant(2, 2_000, 5_000)] }]);
      await store.applyBatch([{ ...batch(0, 1, 2, []), tenants: [tenant(1, 1_000, 6_000)] }]);
      expect(await store.tenantStatus('t1')).toEqual({ late: 3, rejected: 2, lastEventTime: 2_000, lastReceivedAt: 6_000 });
      expect(await store.tenantStatus('nobody')).toEqual({ late: 0, rejected: 0, lastEventTime: null, lastReceivedAt: null });
      await store.close();
    });

    it('expires a bucket at its start plus the retention, and never stores an already-dead bucket', async () => {
      // The bucket dies 1.5 s from now; a bucket one minute older is dead already.
      const now = Date.now();
      const { store, advance } = await make({ retention: { minuteMs: now - bucket + 1500, quarterMs: 48 * 3_600_000 } });
      await store.applyBatch([batch(0, 0, 2, [count('t1', 'events', 1), count('t1', 'events', 1, null, bucket - MINUTE)])]);
      expect(await total(store, 't1', 'events')).toBe(1);
      expect(await total(store, 't1', 'events', bucket - MINUTE)).toBeNull();
      await advance(2000);
      expect(await total(store, 't1', 'events')).toBeNull();
      await store.close();
    });
  });
}
