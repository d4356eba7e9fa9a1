import { describe, expect, it } from 'vitest';
import { EXACT_LIMIT, HyperLogLog } from '../../src/sketches/index.ts';
import { TOPK_CELL_CAPACITY, bucketStart, type AggregateStore, type BatchOutcome, type CellDelta, type PartitionBatch, type TenantDelta } from '../../src/contracts/aggregate-store.ts';

export interface StoreUnderTest {
  store: AggregateStore;
  /** Moves the store's clock forward (memory: injected clock; Redis: a real wait). */
  advance: (ms: number) => Promise<void>;
  /** Another handle on the same data (Redis: its own connection), as a second process would have. */
  twin: () => AggregateStore;
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

    const sketchOf = (values: string[]) => values.reduce((h, v) => h.add(v), new HyperLogLog());
    const unique = (values: string[] | HyperLogLog, tenantId = 't1', b = bucket): CellDelta => ({
      ...count(tenantId, 'unique_users', 0, null, b),
      kind: 'unique',
      sketch: values instanceof HyperLogLog ? values : sketchOf(values),
    });
    const sketchIn = async (store: AggregateStore, b = bucket) => {
      const [reading] = await store.read({ tenantId: 't1', metric: 'unique_users', kind: 'unique', resolution: 'minute', buckets: [b] });
      if (reading?.total?.kind !== 'unique') throw new Error('no unique cell');
      return reading.total.sketch;
    };
    const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `u${from + i}`);

    it('merges unique sketches across batches: exact sets while small, the same registers as one sketch past the exact limit', async () => {
      const { store } = await make();
      // Small: overlapping sets count exactly, a repeated batch of known ids changes nothing.
      await store.applyBatch([batch(0, 0, 1, [unique(ids(0, 300))])]);
      await store.applyBatch([batch(0, 1, 2, [unique(ids(200, 300)), unique(ids(0, 10))])]);
      const small = await sketchIn(store);
      expect(small.isExact).toBe(true);
      expect(small.estimate()).toBe(500);
      // Past the limit, in two steps that each stay below it: the cell turns into registers.
      const later = bucket - MINUTE;
      const first = ids(0, EXACT_LIMIT - 1000);
      const second = ids(1500, EXACT_LIMIT - 1000);
      await store.applyBatch([batch(0, 2, 3, [unique(first, 't1', later)])]);
      await store.applyBatch([batch(0, 3, 4, [unique(second, 't1', later)])]);
      const big = await sketchIn(store, later);
      const expected = sketchOf([...first, ...second]);
      expect(expected.isExact).toBe(false);
      expect(big.isExact).toBe(false);
      expect(Buffer.from(big.registers).equals(Buffer.from(expected.registers))).toBe(true);
      // A register cell then takes many raises at once (new people as hashes, then as registers) and a few.
      const third = ids(6000, 3000);
      const fourth = sketchOf(ids(10_000, 6000));
      const fifth = ids(20_000, 3);
      await store.applyBatch([batch(0, 4, 5, [unique(third, 't1', later)])]);
      await store.applyBatch([batch(0, 5, 6, [unique(fourth, 't1', later)])]);
      await store.applyBatch([batch(0, 6, 7, [unique(fifth, 't1', later)])]);
      const grown = await sketchIn(store, later);
      const all = sketchOf([...first, ...second, ...third, ...ids(10_000, 6000), ...fifth]);
      expect(Buffer.from(grown.registers).equals(Buffer.from(all.registers))).toBe(true);
      await store.close();
    });

    it('merges a registers-only sketch (as stored before exact sets) with exact ones by register maximum', async () => {
      const { store } = await make();
      const legacy = new HyperLogLog(sketchOf(ids(0, 50)).registers);
      await store.applyBatch([batch(0, 0, 1, [unique(ids(40, 20))])]);
      await store.applyBatch([batch(0, 1, 2, [unique(legacy)])]);
      await store.applyBatch([batch(0, 2, 3, [unique(ids(100, 5))])]);
      const merged = await sketchIn(store);
      expect(merged.isExact).toBe(false);
      expect(Buffer.from(merged.registers).equals(Buffer.from(sketchOf([...ids(0, 60), ...ids(100, 5)]).registers))).toBe(true);
      await store.close();
    });

    it('gives each reader its own sketch: merging into what was read leaves the store as it was', async () => {
      const { store } = await make();
      await store.applyBatch([batch(0, 0, 1, [unique(['only-one'])])]);
      (await sketchIn(store)).merge(sketchOf(ids(0, 100)));
      (await sketchIn(store)).merge(new HyperLogLog(sketchOf(ids(0, 100)).registers));
      expect((await sketchIn(store)).estimate()).toBe(1);
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

    const path = (value: string) => ({ dimension: 'context.page.path' as const, value });
    const status = (tenantId: string, late: number): TenantDelta => ({ tenantId, late, rejected: 0, lastEventTime: bucket, lastReceivedAt: bucket + 1 });
    const breakdown = async (store: AggregateStore, tenantId: string) => {
      const [reading] = await store.read({ tenantId, metric: 'pageviews', kind: 'count', resolution: 'minute', buckets: [bucket], dimension: 'context.page.path' });
      return Object.fromEntries([...(reading?.breakdown ?? [])].map(([value, cell]) => [value, cell.kind === 'count' ? cell.amount : NaN]));
    };
    const uniqueDelta = (tenantId: string, values: string[]): CellDelta => unique(values, tenantId);
    const uniqueEstimate = async (store: AggregateStore, tenantId: string) => {
      const [reading] = await store.read({ tenantId, metric: 'unique_users', kind: 'unique', resolution: 'minute', buckets: [bucket] });
      return reading?.total?.kind === 'unique' ? Math.round(reading.total.sketch.estimate()) : null;
    };
    const everything = (tenantId: string, n: number): CellDelta[] => [
      count(tenantId, 'pageviews', n),
      count(tenantId, 'pageviews', n, path('/a')),
      uniqueDelta(tenantId, Array.from({ length: n }, (_, i) => `${tenantId}-u${i}`)),
      { ...count(tenantId, 'top_pages', 0), kind: 'topk', items: new Map([['/a', n]]) },
    ];

    it('clears every cell, breakdown, tenant status and position, and starts over from nothing', async () => {
      const { store } = await make();
      await store.applyBatch([{ ...batch(0, 0, 3, [...everything('t1', 3), ...everything('t2', 2)]), tenants: [status('t1', 1), status('t2', 1)] }]);
      await store.applyBatch([batch(1, 0, 4, [count('t2', 'events', 4)])]);
      await store.clear();
      for (const tenantId of ['t1', 't2']) {
        expect(await total(store, tenantId, 'pageviews')).toBeNull();
        expect(await breakdown(store, tenantId)).toEqual({});
        expect(await uniqueEstimate(store, tenantId)).toBeNull();
        expect(await store.tenantStatus(tenantId)).toEqual({ late: 0, rejected: 0, lastEventTime: null, lastReceivedAt: null });
      }
      expect(await total(store, 't2', 'events')).toBeNull();
      expect(await store.positions([0, 1])).toEqual(new Map());
      expect(await store.applyBatch([batch(0, 0, 1, [count('t1', 'pageviews', 1)])])).toEqual(['applied']);
      expect(await total(store, 't1', 'pageviews')).toBe(1);
      await store.close();
    });

    it("purges one tenant's cells, breakdowns and status, returns the positions, and leaves other tenants alone", async () => {
      const { store } = await make();
      await store.applyBatch([
        { ...batch(0, 0, 5, [...everything('victim', 5), ...everything('bystander', 4)]), tenants: [status('victim', 2), status('bystander', 3)] },
        batch(1, 0, 3, [count('victim', 'events', 3)]),
      ]);
      expect(await store.purgeTenant('victim')).toEqual(new Map([[0, 5], [1, 3]]));
      expect(await total(store, 'victim', 'pageviews')).toBeNull();
      expect(await total(store, 'victim', 'events')).toBeNull();
      expect(await breakdown(store, 'victim')).toEqual({});
      expect(await uniqueEstimate(store, 'victim')).toBeNull();
      const [top] = await store.read({ tenantId: 'victim', metric: 'top_pages', kind: 'topk', resolution: 'minute', buckets: [bucket] });
      expect(top?.total ?? null).toBeNull();
      expect(await store.tenantStatus('victim')).toEqual({ late: 0, rejected: 0, lastEventTime: null, lastReceivedAt: null });
      expect(await total(store, 'bystander', 'pageviews')).toBe(4);
      expect(await breakdown(store, 'bystander')).toEqual({ '/a': 4 });
      expect(await uniqueEstimate(store, 'bystander')).toBe(4);
      expect((await store.tenantStatus('bystander')).late).toBe(3);

      // Written again, the tenant starts from nothing: no old register, count or index entry comes back.
      await store.applyCells([{ cells: [...everything('victim', 2), count('victim', 'pageviews', 1, path('/b'))], tenants: [status('victim', 1)] }]);
      expect(await total(store, 'victim', 'pageviews')).toBe(2);
      expect(await breakdown(store, 'victim')).toEqual({ '/a': 2, '/b': 1 });
      expect(await uniqueEstimate(store, 'victim')).toBe(2);
      expect((await store.tenantStatus('victim')).late).toBe(1);
      // And purged twice, it is gone twice.
      await store.purgeTenant('victim');
      expect(await total(store, 'victim', 'pageviews')).toBeNull();
      expect(await breakdown(store, 'victim')).toEqual({});
      expect(await store.purgeTenant('nobody')).toEqual(new Map([[0, 5], [1, 3]]));
      await store.close();
    });

    it("refuses every partition's first batch after a purge once, written before or not, so records folded before it are read again", async () => {
      const { store } = await make();
      await store.applyBatch([batch(0, 0, 5, [count('t1', 'events', 5)]), batch(1, 0, 2, [count('t2', 'events', 2)])]);
      await store.purgeTenant('t1');
      expect(await store.applyBatch([batch(0, 0, 5, [count('t1', 'events', 5)])])).toEqual(['duplicate']);
      expect(await store.applyBatch([batch(0, 5, 7, [count('t1', 'events', 2)]), batch(2, 0, 1, [count('t3', 'events', 1)])])).toEqual(['conflict', 'conflict']);
      expect(await store.applyBatch([batch(0, 5, 7, [count('t1', 'events', 2)]), batch(1, 2, 3, [count('t2', 'events', 1)])])).toEqual(['applied', 'conflict']);
      expect(await store.applyBatch([batch(1, 2, 3, [count('t2', 'events', 1)]), batch(2, 0, 1, [count('t3', 'events', 1)])])).toEqual(['applied', 'applied']);
      expect(await store.positions([0, 1, 2])).toEqual(new Map([[0, 7], [1, 3], [2, 1]]));
      expect(await total(store, 't1', 'events')).toBe(2);
      expect(await total(store, 't2', 'events')).toBe(3);
      expect(await total(store, 't3', 'events')).toBe(1);
      // Two purges in a row still cost one refusal per partition.
      await store.purgeTenant('t1');
      await store.purgeTenant('t2');
      expect(await store.applyBatch([batch(0, 7, 8, [count('t1', 'events', 1)])])).toEqual(['conflict']);
      expect(await store.applyBatch([batch(0, 7, 8, [count('t1', 'events', 1)])])).toEqual(['applied']);
      await store.close();
    });

    it('applies cells and tallies without checking or moving positions', async () => {
      const { store } = await make();
      await store.applyBatch([batch(0, 0, 5, [count('t1', 'events', 5)])]);
      const cells = { cells: [count('t1', 'events', 2), count('t1', 'pageviews', 1, path('/a'))], tenants: [status('t1', 1)] };
      await store.applyCells([cells, cells]);
      await store.applyCells([]);
      expect(await total(store, 't1', 'events')).toBe(9);
      expect(await breakdown(store, 't1')).toEqual({ '/a': 2 });
      expect((await store.tenantStatus('t1')).late).toBe(2);
      expect(await store.positions([0])).toEqual(new Map([[0, 5]]));
      expect(await store.applyBatch([batch(0, 5, 6, [count('t1', 'events', 1)])])).toEqual(['applied']);
      await store.close();
    });

    it('splits concurrent writes at the purge: every batch is either gone and below the returned position, or whole and at or above it', async () => {
      const { store, twin } = await make();
      const other = twin();
      const PARTITIONS = 3;
      const BATCHES = 60;
      const victimCells = (p: number, i: number): CellDelta[] => [
        count('victim', `m${p}-${i}`, 1),
        count('victim', `m${p}-${i}`, 2, path('/a')),
        count('victim', `m${p}-${i}`, 3, path('/b')),
        uniqueDelta('victim', [`u${p}-${i}`]),
      ];
      let purge: Promise<Map<number, number>> | undefined;
      const write = async (p: number) => {
        const outcomes: BatchOutcome[] = [];
        for (let i = 0; i < BATCHES; i++) {
          // The purge starts from another handle while all three writers are mid-stream.
          if (p === 0 && i === BATCHES / 3) purge = other.purgeTenant('victim');
          const b = { ...batch(p, i, i + 1, [...victimCells(p, i), count('bystander', `m${p}-${i}`, 1)]), tenants: [status('victim', 1)] };
          let outcome = await store.applyBatch([b]);
          // The fence: the first batch after the purge is refused once; a consumer reads it again.
          if (outcome[0] === 'conflict') outcome = await store.applyBatch([b]);
          outcomes.push(...outcome);
          // Writers drift apart, so the purge finds them at different offsets, some mid-write.
          if (i % (p + 1) === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        return outcomes;
      };
      const outcomes = await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => write(p)));
      expect(outcomes.flat().every((o) => o === 'applied')).toBe(true);
      const cut = await purge!;

      let survivors = 0;
      for (let p = 0; p < PARTITIONS; p++) {
        const at = cut.get(p) ?? 0;
        expect(at).toBeGreaterThanOrEqual(p === 0 ? BATCHES / 3 : 0);
        for (let i = 0; i < BATCHES; i++) {
          const metric = `m${p}-${i}`;
          const [reading] = await store.read({ tenantId: 'victim', metric, kind: 'count', resolution: 'minute', buckets: [bucket], dimension: 'context.page.path' });
          const seen = { total: reading?.total?.kind === 'count' ? reading.total.amount : null, ...Object.fromEntries([...(reading?.breakdown ?? [])].map(([v, c]) => [v, c.kind === 'count' ? c.amount : NaN])) };
          expect({ batch: `${p}/${i}`, ...seen }).toEqual(i < at ? { batch: `${p}/${i}`, total: null } : { batch: `${p}/${i}`, total: 1, '/a': 2, '/b': 3 });
          expect(await total(store, 'bystander', metric)).toBe(1);
        }
        survivors += BATCHES - at;
      }
      expect((await store.tenantStatus('victim')).late).toBe(survivors);
      expect(await uniqueEstimate(store, 'victim')).toBe(survivors);
      // The purge landed mid-stream, not before or after everything.
      expect(survivors).toBeGreaterThan(0);
      expect(survivors).toBeLessThan(PARTITIONS * BATCHES);
      await other.close();
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
