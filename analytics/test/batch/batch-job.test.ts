import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchViewStore, runBatch, viewKey, type BatchRunResult } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { METRICS, type MetricDeclaration } from '../../src/contracts/metrics.ts';
import { HyperLogLog } from '../../src/sketches/hyperloglog.ts';
import { TOPK_CELL_CAPACITY } from '../../src/contracts/aggregate-store.ts';
import { cellKey, generateEvents, referenceCells, writeRaw, type ReferenceCell } from './batch.fixture.ts';

const DAY = '2026-03-10';
const START = Date.parse(`${DAY}T00:00:00Z`);
const END = START + 86_400_000;
const GRACE = 5 * 60_000;
const NOW = END + GRACE + 1;

interface ViewRow {
  metric: string;
  dimension: string | null;
  value: string | null;
  bucket: number;
  item: string | null;
  amount: number;
}

async function viewRows(path: string): Promise<ViewRow[]> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT metric, dimension, value, bucket, item, amount FROM read_parquet('${path}')`);
    return reader.getRowObjectsJS().map((r) => ({ ...(r as unknown as ViewRow), bucket: Number(r.bucket), amount: Number(r.amount) }));
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** The view's rows folded into reference-shaped cells (top-K items and counts). */
function cellsOf(rows: ViewRow[]): Map<string, ReferenceCell> {
  const cells = new Map<string, ReferenceCell>();
  for (const row of rows) {
    const key = cellKey(row.metric, row.dimension, row.value, row.bucket);
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { amount: 0 }));
    if (row.item !== null) (cell.items ??= new Map()).set(row.item, row.amount);
    cell.amount += row.amount;
  }
  return cells;
}

const plain = (cells: Map<string, ReferenceCell>) =>
  Object.fromEntries([...cells].map(([k, c]) => [k, { amount: c.amount, ...(c.items ? { items: Object.fromEntries([...c.items].sort()) } : {}) }]));

describe('batch job', () => {
  let dir: string;
  let events: AnalyticsEvent[];
  let first: BatchRunResult;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'batch-job-'));
    // Events from the evening before through the morning after, some received well after DAY closed.
    events = [...generateEvents('acme', 6000, '2026-03-09T22:00:00Z', '2026-03-11T01:00:00Z', 7, 20 * 60_000), ...generateEvents('other', 500, `${DAY}T00:00:00Z`, `${DAY}T12:00:00Z`, 8)];
    await writeRaw(dir, events, { duplicateEvery: 9 });
    first = await runBatch({ lake: dir, tenants: ['acme'], now: NOW, from: DAY, to: DAY, graceMs: GRACE });
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('counts, sums, exact distinct counts and top-K items equal contributions() folded per quarter hour', async () => {
    const expected = referenceCells(
      events.filter((e) => e.tenantId === 'acme'),
      METRICS,
      START,
      END,
    );
    const actual = cellsOf(await viewRows(join(dir, viewKey('acme', DAY))));
    expect(expected.size).toBeGreaterThan(1000);
    expect(plain(actual)).toEqual(plain(expected));
  });

  it('reports duplicates, late events and rejected values, counting each event once, late ones included', () => {
    const stats = first.periods[0]!;
    const acme = events.filter((e) => e.tenantId === 'acme');
    const inDay = acme.filter((e) => Date.parse(e.timestamp) >= START && Date.parse(e.timestamp) < END);
    const late = inDay.filter((e) => Date.parse(e.receivedAt) >= END + GRACE);
    expect(stats.duplicates).toBeGreaterThan(0);
    expect(late.length).toBeGreaterThan(0);
    expect(stats.events).toBe(inDay.length);
    expect(stats.late).toBe(late.length);
    expect(stats.rejected).toBeGreaterThan(0);
  });

  it('builds unique sketches byte-equal to the TypeScript HyperLogLog of the same identities', async () => {
    const expected = referenceCells(events.filter((e) => e.tenantId === 'acme'), METRICS, START, END);
    const store = createBatchViewStore({ lake: dir });
    try {
      const buckets = Array.from({ length: 96 }, (_, i) => START + i * 900_000);
      for (const metric of ['unique_users', 'unique_sessions']) {
        const dimension = metric === 'unique_users' ? 'type' : 'context.campaign.source';
        const readings = await store.read({ tenantId: 'acme', metric, kind: 'unique', resolution: 'quarter', buckets, dimension });
        let compared = 0;
        readings.forEach((reading, i) => {
          const want = expected.get(cellKey(metric, null, null, buckets[i]!))?.sketch ?? new HyperLogLog();
          expect(reading.total?.kind === 'unique' && Buffer.from(reading.total.sketch.toBytes()).equals(Buffer.from(want.toBytes()))).toBe(true);
          for (const [value, cell] of reading.breakdown) {
            const wanted = expected.get(cellKey(metric, dimension, value, buckets[i]!))?.sketch;
            expect(cell.kind === 'unique' && wanted && Buffer.from(cell.sketch.toBytes()).equals(Buffer.from(wanted.toBytes()))).toBe(true);
            compared++;
          }
        });
        expect(compared).toBeGreaterThan(96);
      }
    } finally {
      await store.close();
    }
  });

  it('keeps the first copy of a messageId by receivedAt, whatever file holds it', async () => {
    const lake = await mkdtemp(join(tmpdir(), 'batch-dup-'));
    try {
      const base = { tenantId: 'dup', messageId: 'same', type: 'track' as const, timestamp: `${DAY}T10:00:00.000Z`, properties: {}, context: {}, isBot: false, userId: 'u' };
      // The later file (by name) holds the earlier receipt.
      await writeRaw(lake, [{ ...base, event: 'Second', receivedAt: `${DAY}T10:30:00.000Z` }], { partition: 0 });
      await writeRaw(lake, [{ ...base, event: 'First', receivedAt: `${DAY}T10:20:00.000Z` }], { partition: 1 });
      await runBatch({ lake, tenants: ['dup'], now: NOW, from: DAY, to: DAY, graceMs: GRACE });
      const rows = (await viewRows(join(lake, viewKey('dup', DAY)))).filter((r) => r.metric === 'events' && r.dimension === 'event');
      expect(rows.map((r) => [r.value, r.amount])).toEqual([['First', 1]]);
    } finally {
      await rm(lake, { recursive: true, force: true });
    }
  });

  it('breaks a receivedAt tie between files by lake key, and a tie within one file by content', async () => {
    const lake = await mkdtemp(join(tmpdir(), 'batch-tie-'));
    try {
      const at = `${DAY}T10:00:00.000Z`;
      const base = { tenantId: 'tie', type: 'track' as const, timestamp: at, receivedAt: at, properties: {}, context: {}, isBot: false };
      // Same receipt: partition 0's key sorts first, whichever is written first.
      await writeRaw(lake, [{ ...base, messageId: 'x', event: 'From p1' }], { partition: 1 });
      await writeRaw(lake, [{ ...base, messageId: 'x', event: 'From p0' }], { partition: 0 });
      // Same receipt, same file: one copy is kept, the same one every run.
      await writeRaw(lake, [{ ...base, messageId: 'y', event: 'A' }, { ...base, messageId: 'y', event: 'B' }], { partition: 2 });
      const events = async () => {
        await runBatch({ lake, tenants: ['tie'], now: NOW, from: DAY, to: DAY, graceMs: GRACE });
        return (await viewRows(join(lake, viewKey('tie', DAY)))).filter((r) => r.metric === 'events' && r.dimension === 'event').map((r) => [r.value, r.amount]);
      };
      const first = await events();
      expect(first.filter(([v]) => String(v).startsWith('From'))).toEqual([['From p0', 1]]);
      expect(first.filter(([v]) => v === 'A' || v === 'B')).toHaveLength(1);
      expect(await events()).toEqual(first);
    } finally {
      await rm(lake, { recursive: true, force: true });
    }
  });

  it('puts an event in the quarter hour its timestamp falls in, edges included', async () => {
    const lake = await mkdtemp(join(tmpdir(), 'batch-edge-'));
    try {
      const at = (t: string, id: string): AnalyticsEvent => ({ tenantId: 'edge', messageId: id, type: 'identify', timestamp: t, receivedAt: t, properties: {}, context: {}, isBot: false });
      await writeRaw(lake, [at(`${DAY}T10:14:59.999Z`, 'a'), at(`${DAY}T10:15:00.000Z`, 'b'), at(`${DAY}T10:15:00.001Z`, 'c'), at(`${DAY}T23:59:59.999Z`, 'd')]);
      await runBatch({ lake, tenants: ['edge'], now: NOW, from: DAY, to: DAY, graceMs: GRACE });
      const totals = (await viewRows(join(lake, viewKey('edge', DAY)))).filter((r) => r.metric === 'events' && r.dimension === null);
      expect(totals.map((r) => [new Date(r.bucket).toISOString(), r.amount])).toEqual([
        [`${DAY}T10:00:00.000Z`, 1],
        [`${DAY}T10:15:00.000Z`, 2],
        [`${DAY}T23:45:00.000Z`, 1],
      ]);
    } finally {
      await rm(lake, { recursive: true, force: true });
    }
  });

  it('ranks top-K exactly and folds items past the cell capacity into `other`', async () => {
    const lake = await mkdtemp(join(tmpdir(), 'batch-topk-'));
    try {
      const t = `${DAY}T08:00:00.000Z`;
      const page = (path: string, i: number): AnalyticsEvent => ({ tenantId: 'top', messageId: `${path}-${i}`, type: 'page', timestamp: t, receivedAt: t, properties: {}, context: { page: { path } }, isBot: false });
      const pages = [...Array.from({ length: 5 }, (_, i) => page('/hot', i)), ...Array.from({ length: 3 }, (_, i) => page('/warm', i))];
      for (let i = 0; i < TOPK_CELL_CAPACITY + 10; i++) pages.push(page(`/rare-${String(i).padStart(4, '0')}`, 0));
      await writeRaw(lake, pages, { perFile: 5000 });
      await runBatch({ lake, tenants: ['top'], now: NOW, from: DAY, to: DAY, graceMs: GRACE });
      const store = createBatchViewStore({ lake });
      try {
        const [reading] = await store.read({ tenantId: 'top', metric: 'top_pages', kind: 'topk', resolution: 'quarter', buckets: [Date.parse(t)] });
        const top = reading?.total?.kind === 'topk' ? reading.total.top : null;
        expect(top?.top(3)).toEqual([
          { item: '/hot', count: 5 },
          { item: '/warm', count: 3 },
          { item: '/rare-0000', count: 1 },
        ]);
        expect(top?.counts.size).toBe(TOPK_CELL_CAPACITY);
        expect(top?.other).toBe(12);
        expect(top?.total()).toBe(pages.length);
      } finally {
        await store.close();
      }
    } finally {
      await rm(lake, { recursive: true, force: true });
    }
  });

  it('is idempotent: recomputing the same period writes the same bytes', async () => {
    const before = await readFile(join(dir, viewKey('acme', DAY)));
    await runBatch({ lake: dir, tenants: ['acme'], now: NOW + 86_400_000, from: DAY, to: DAY, graceMs: GRACE });
    expect(Buffer.compare(await readFile(join(dir, viewKey('acme', DAY))), before)).toBe(0);
  });

  it('derives a new metric from its declaration alone', async () => {
    const signups: MetricDeclaration = {
      name: 'signups',
      description: 'Signed Up events (test-only declaration)',
      filter: { types: ['track'], events: ['Signed Up'] },
      measure: { kind: 'count' },
      breakdowns: ['context.campaign.source'],
    };
    const metrics = [...METRICS, signups];
    const lake = await mkdtemp(join(tmpdir(), 'batch-metric-'));
    try {
      const acme = events.filter((e) => e.tenantId === 'acme');
      await writeRaw(lake, acme);
      await runBatch({ lake, tenants: ['acme'], now: NOW, from: DAY, to: DAY, graceMs: GRACE, metrics });
      const rows = (await viewRows(join(lake, viewKey('acme', DAY)))).filter((r) => r.metric === 'signups');
      const expected = [...referenceCells(acme, [signups], START, END)].map(([k, c]) => [k, c.amount]).sort();
      expect(rows.length).toBeGreaterThan(10);
      expect(rows.map((r) => [cellKey(r.metric, r.dimension, r.value, r.bucket), r.amount]).sort()).toEqual(expected);
      expect((await viewRows(join(dir, viewKey('acme', DAY)))).some((r) => r.metric === 'signups')).toBe(false);
    } finally {
      await rm(lake, { recursive: true, force: true });
    }
  });
});
