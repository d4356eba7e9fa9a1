import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BucketReading, type CellQuery, type CellValue, type MetricKind, TOPK_CELL_CAPACITY } from '../contracts/index.ts';
import { HyperLogLog, TopKSummary } from '../sketches/index.ts';
import { err, ok } from '../tenants/index.ts';
import { BatchViewError, type BatchReadResult } from './batch.errors.ts';
import { openDuckDb, type DuckDbEngine } from './duckdb-engine.ts';
import { localObjectStore } from '../storage/index.ts';
import type { LakeStore } from './lake-store.ts';
import { readEmptySpans, spanAt, type EmptySpan } from './empty-days.ts';
import { DAY_MS, periodAt, periodOf, viewDates, viewKey, viewsTenantPrefix, type Period } from './layout.ts';
import { lit } from './metric-sql.ts';
import { readWatermark } from './watermark.ts';

/**
 * The batch layer's read side, in the speed layer's shape (`AggregateStore.read`) so the
 * serving layer merges the two without translation. Only quarter-hour buckets exist here.
 */
export interface BatchViewStore {
  /**
   * The cells of each requested bucket. A bucket whose day has a view and no events reads as a
   * real zero (amount 0, an empty sketch or top-K); a bucket whose day has no view throws
   * `BatchViewError` with code `BATCH.PERIOD_MISSING`.
   */
  read(query: CellQuery): Promise<BucketReading[]>;
  /** `read` with the expected failures as a value. */
  readChecked(query: CellQuery): Promise<BatchReadResult<BucketReading[]>>;
  /**
   * One reading per group of buckets, each the merge of the group's readings in group order
   * (amounts add, sketches take register maxima, top-K summaries merge one bucket after the
   * other): what merging `read`'s readings gives, with one cell per group and series instead of
   * one per bucket. Throws like `read`.
   */
  readMerged(query: MergedCellQuery): Promise<BucketReading[]>;
  /** B: the end of the last complete period with a durable view, ms; null before the first. */
  watermark(tenantId: string): Promise<number | null>;
  /** The periods (UTC days) that have a view, oldest first. */
  coverage(tenantId: string): Promise<Period[]>;
  close(): Promise<void>;
}

/** `CellQuery` with the buckets in groups, each read as one merged reading. */
export type MergedCellQuery = Omit<CellQuery, 'buckets'> & { groups: number[][] };

/**
 * The Parquet `sketch` column: the sketch format's version 3 (exact hashes, or registers as
 * triples), version 2 in views written before xxHash64, or in views older still bare
 * [index u16 big-endian, rank u8] triples.
 */
export function sketchFromRegisters(bytes: Uint8Array): HyperLogLog {
  return HyperLogLog.fromStored(bytes, 'triples');
}

/** One Parquet row of a cell: top-K cells have one per item, the others exactly one. */
interface ViewRow {
  item: string | null;
  amount: number;
  sketch: Uint8Array | null;
  /** `sketch` decoded once (rows are cached): handed out as clones, which share its hashes. */
  decoded?: HyperLogLog;
}

/** A row's sketch, to merge from or estimate, never to write into. */
function rowSketch(row: ViewRow): HyperLogLog {
  return (row.decoded ??= row.sketch ? sketchFromRegisters(row.sketch) : new HyperLogLog()).clone();
}

/** One bucket of one metric: the total's rows and, per breakdown dimension, each value's rows. */
interface BucketRows {
  total: ViewRow[];
  dimensions: Map<string, Map<string, ViewRow[]>>;
}

/** One metric of one view file, decoded: bucket start → its rows. */
type MetricView = Map<number, BucketRows>;

/** A fresh cell from immutable rows: sketches stay sparse over the cached bytes (merging never writes them). */
function cellOf(kind: MetricKind, rows: readonly ViewRow[] | undefined): CellValue {
  if (kind === 'unique') {
    if (!rows || rows.length === 0) return { kind, sketch: new HyperLogLog() };
    if (rows.length === 1) return { kind, sketch: rowSketch(rows[0]!) };
    const sketch = new HyperLogLog();
    for (const row of rows) if (row.sketch) sketch.merge(rowSketch(row));
    return { kind, sketch };
  }
  if (kind === 'topk') {
    const top = new TopKSummary(TOPK_CELL_CAPACITY);
    for (const row of rows ?? []) {
      if (row.item === null) top.other += row.amount;
      else top.counts.set(row.item, (top.counts.get(row.item) ?? 0) + row.amount);
    }
    return { kind, top };
  }
  let amount = 0;
  for (const row of rows ?? []) amount += row.amount;
  return { kind, amount };
}

/**
 * Cells of several buckets merged as the query layer merges readings: a lone sketch is shared
 * (sparse, never written), the second one makes a dense copy; top-K summaries merge bucket by
 * bucket so trimming past the capacity happens exactly as it would bucket by bucket.
 */
class GroupCell {
  private amount = 0;
  private sketch: HyperLogLog | null = null;
  private ownSketch = false;
  private top: TopKSummary | null = null;

  constructor(private readonly kind: MetricKind) {}

  add(rows: readonly ViewRow[] | undefined): void {
    if (!rows || rows.length === 0) return;
    if (this.kind === 'unique') {
      for (const row of rows) {
        if (!row.sketch) continue;
        const sketch = rowSketch(row);
        if (!this.sketch) this.sketch = sketch;
        else {
          if (!this.ownSketch) {
            this.sketch = new HyperLogLog().merge(this.sketch);
            this.ownSketch = true;
          }
          this.sketch.merge(sketch);
        }
      }
    } else if (this.kind === 'topk') {
      const cell = cellOf('topk', rows);
      if (cell.kind === 'topk') (this.top ??= new TopKSummary(TOPK_CELL_CAPACITY)).merge(cell.top);
    } else {
      for (const row of rows) this.amount += row.amount;
    }
  }

  value(): CellValue {
    if (this.kind === 'unique') return { kind: 'unique', sketch: this.sketch ?? new HyperLogLog() };
    if (this.kind === 'topk') return { kind: 'topk', top: this.top ?? new TopKSummary(TOPK_CELL_CAPACITY) };
    return { kind: this.kind, amount: this.amount };
  }
}

export interface BatchViewStoreOptions {
  lake: LakeStore | string;
  threads?: number;
  /**
   * Decoded (view file, metric) pairs kept in memory, least recently used evicted first. Only for
   * a lake with local files, whose identity (inode, size, mtime) shows a recompute; default 512.
   */
  cacheEntries?: number;
}

/**
 * Reads the Parquet views in a lake directory in place, or, for a remote lake, fetches the days
 * a query needs into a temp dir first (views are small: one file per tenant-day).
 *
 * Views at or before B change only when a day is recomputed, and a recompute replaces the file
 * (a new inode), so on a local lake each file's metric is decoded once and served from memory
 * until its file changes: a 30-day series is then a walk over cached rows, not 30 Parquet reads.
 *
 * @example
 * const store = createBatchViewStore({ lake: './data/analytics/lake' });
 * const readings = await store.read({ tenantId: 'acme', metric: 'unique_users', kind: 'unique', resolution: 'quarter', buckets });
 */
export function createBatchViewStore(options: BatchViewStoreOptions): BatchViewStore {
  const lake = typeof options.lake === 'string' ? localObjectStore(options.lake) : options.lake;
  const capacity = options.cacheEntries ?? 512;
  const cache = new Map<string, { identity: string; view: MetricView }>();
  let engine: Promise<DuckDbEngine> | null = null;
  let scratch: Promise<string> | null = null;
  const db = () => (engine ??= openDuckDb({ threads: options.threads, macros: false }));

  const remember = (key: string, identity: string, view: MetricView) => {
    cache.delete(key);
    cache.set(key, { identity, view });
    for (const oldest of cache.keys()) {
      if (cache.size <= capacity) break;
      cache.delete(oldest);
    }
  };

  /** Decodes one metric of each file, in one DuckDB query. */
  async function decode(paths: string[], metric: string): Promise<Map<string, MetricView>> {
    const views = new Map<string, MetricView>(paths.map((p) => [p, new Map()]));
    if (paths.length === 0) return views;
    const connection = await (await db()).connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT filename, dimension, value, bucket, item, amount, sketch FROM read_parquet([${paths.map(lit).join(', ')}], filename = true) WHERE metric = $metric`,
        { metric },
      );
      for (const row of reader.getRowObjectsJS()) {
        const view = views.get(String(row.filename));
        if (!view) continue;
        const bucket = Number(row.bucket);
        let cells = view.get(bucket);
        if (!cells) view.set(bucket, (cells = { total: [], dimensions: new Map() }));
        let rows = cells.total;
        if (row.dimension !== null) {
          const dimension = String(row.dimension);
          const value = String(row.value);
          let values = cells.dimensions.get(dimension);
          if (!values) cells.dimensions.set(dimension, (values = new Map()));
          rows = values.get(value) ?? [];
          if (rows.length === 0) values.set(value, rows);
        }
        rows.push({ item: (row.item as string | null) ?? null, amount: Number(row.amount), sketch: row.sketch instanceof Uint8Array ? row.sketch : null });
      }
    } finally {
      connection.closeSync();
    }
    return views;
  }

  /** The decoded views of `dates` for one metric, and the dates without a view. */
  async function views(tenantId: string, metric: string, dates: string[]): Promise<{ byDate: Map<string, MetricView>; missing: string[] }> {
    const byDate = new Map<string, MetricView>();
    const missing: string[] = [];
    // A day without a view is a real zero only if a run recorded it empty; otherwise it is missing.
    let empty: Promise<EmptySpan[]> | undefined;
    const noView = async (date: string) => {
      if (!spanAt(await (empty ??= readEmptySpans(lake, tenantId)), periodOf(date).start)) missing.push(date);
    };
    if (lake.localPath) {
      const misses: Array<{ date: string; path: string; identity: string }> = [];
      for (const date of dates) {
        const path = lake.localPath(viewKey(tenantId, date));
        const info = await stat(path).catch(() => null);
        if (!info) {
          await noView(date);
          continue;
        }
        const identity = `${info.ino}:${info.size}:${info.mtimeMs}`;
        const hit = cache.get(`${path}|${metric}`);
        if (hit?.identity === identity) {
          remember(`${path}|${metric}`, identity, hit.view);
          byDate.set(date, hit.view);
        } else misses.push({ date, path, identity });
      }
      if (missing.length === 0 && misses.length > 0) {
        const decoded = await decode(
          misses.map((m) => m.path),
          metric,
        );
        for (const m of misses) {
          const view = decoded.get(m.path)!;
          remember(`${m.path}|${metric}`, m.identity, view);
          byDate.set(m.date, view);
        }
      }
      return { byDate, missing };
    }
    const dir = join(await (scratch ??= mkdtemp(join(tmpdir(), 'analytics-views-'))), randomUUID());
    await mkdir(dir, { recursive: true });
    try {
      const paths = new Map<string, string>();
      for (const date of dates) {
        const bytes = await lake.get(viewKey(tenantId, date));
        if (!bytes) {
          await noView(date);
          continue;
        }
        const path = join(dir, `${date}.parquet`);
        await writeFile(path, bytes);
        paths.set(date, path);
      }
      if (missing.length === 0) {
        const decoded = await decode([...paths.values()], metric);
        for (const [date, path] of paths) byDate.set(date, decoded.get(path)!);
      }
      return { byDate, missing };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The cached rows of every bucket of `buckets`, or the typed failure. */
  async function rowsOf(query: Omit<CellQuery, 'buckets'>, buckets: readonly number[]): Promise<BatchReadResult<(bucket: number) => BucketRows | undefined>> {
    if (query.resolution !== 'quarter') return err({ code: 'BATCH.RESOLUTION_UNSUPPORTED', resolution: query.resolution });
    // UTC day number → date, worked out once per day rather than per bucket.
    const dateOf = new Map<number, string>();
    for (const b of buckets) {
      const day = Math.floor(b / DAY_MS);
      if (!dateOf.has(day)) dateOf.set(day, periodAt(b).date);
    }
    if (dateOf.size === 0) return ok(() => undefined);
    const { byDate, missing } = await views(query.tenantId, query.metric, [...new Set(dateOf.values())].sort());
    if (missing.length > 0) return err({ code: 'BATCH.PERIOD_MISSING', tenantId: query.tenantId, dates: missing });
    return ok((bucket) => byDate.get(dateOf.get(Math.floor(bucket / DAY_MS))!)?.get(bucket));
  }

  async function readChecked(query: CellQuery): Promise<BatchReadResult<BucketReading[]>> {
    const rows = await rowsOf(query, query.buckets);
    if (!rows.ok) return rows;
    return ok(
      query.buckets.map((bucket): BucketReading => {
        const cells = rows.value(bucket);
        const breakdown = new Map<string, CellValue>();
        const values = query.dimension ? cells?.dimensions.get(query.dimension) : undefined;
        if (values) for (const [value, valueRows] of values) breakdown.set(value, cellOf(query.kind, valueRows));
        return { total: cellOf(query.kind, cells?.total), breakdown };
      }),
    );
  }

  async function readMerged(query: MergedCellQuery): Promise<BucketReading[]> {
    const rows = await rowsOf(query, query.groups.flat());
    if (!rows.ok) throw new BatchViewError(rows.error);
    return query.groups.map((group): BucketReading => {
      const total = new GroupCell(query.kind);
      const breakdown = new Map<string, GroupCell>();
      for (const bucket of group) {
        const cells = rows.value(bucket);
        total.add(cells?.total);
        const values = query.dimension ? cells?.dimensions.get(query.dimension) : undefined;
        if (!values) continue;
        for (const [value, valueRows] of values) {
          let cell = breakdown.get(value);
          if (!cell) breakdown.set(value, (cell = new GroupCell(query.kind)));
          cell.add(valueRows);
        }
      }
      return { total: total.value(), breakdown: new Map([...breakdown].map(([value, cell]) => [value, cell.value()])) };
    });
  }

  return {
    readChecked,
    readMerged,
    async read(query) {
      const result = await readChecked(query);
      if (!result.ok) throw new BatchViewError(result.error);
      return result.value;
    },
    watermark: (tenantId) => readWatermark(lake, tenantId),
    async coverage(tenantId) {
      const views = viewDates(await lake.list(viewsTenantPrefix(tenantId))).map(periodOf);
      const empty = (await readEmptySpans(lake, tenantId)).map((s) => ({ date: periodAt(s.start).date, ...s }));
      return [...views, ...empty].sort((a, b) => a.start - b.start);
    },
    async close() {
      cache.clear();
      if (engine) (await engine).close();
      if (scratch) await rm(await scratch, { recursive: true, force: true });
    },
  };
}
