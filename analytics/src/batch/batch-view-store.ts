import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricKind } from '../contracts/metrics.ts';
import { HyperLogLog } from '../sketches/hyperloglog.ts';
import { TopKSummary } from '../sketches/top-k.ts';
import { TOPK_CELL_CAPACITY, type BucketReading, type CellQuery, type CellValue } from '../speed/aggregate-store.ts';
import { err, ok } from '../tenants/result.ts';
import { BatchViewError, type BatchReadResult } from './batch.errors.ts';
import { openDuckDb, type DuckDbEngine } from './duckdb-engine.ts';
import { createLocalLake, exists, removeQuietly, type LakeStore } from './lake.ts';
import { periodAt, periodOf, viewDates, viewKey, viewsTenantPrefix, type Period } from './layout.ts';
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
  /** B: the end of the last complete period with a durable view, ms; null before the first. */
  watermark(tenantId: string): Promise<number | null>;
  /** The periods (UTC days) that have a view, oldest first. */
  coverage(tenantId: string): Promise<Period[]>;
  close(): Promise<void>;
}

/** The Parquet `sketch` column: [index u16 big-endian, rank u8] per non-zero register, by index. */
export function sketchFromRegisters(bytes: Uint8Array): HyperLogLog {
  return addRegisters(new HyperLogLog(), bytes);
}

function addRegisters(sketch: HyperLogLog, bytes: Uint8Array): HyperLogLog {
  const registers = sketch.registers;
  for (let i = 0; i + 2 < bytes.length; i += 3) {
    const index = (bytes[i]! << 8) | bytes[i + 1]!;
    if (bytes[i + 2]! > registers[index]!) registers[index] = bytes[i + 2]!;
  }
  return sketch;
}

function zero(kind: MetricKind): CellValue {
  if (kind === 'unique') return { kind: 'unique', sketch: new HyperLogLog() };
  if (kind === 'topk') return { kind: 'topk', top: new TopKSummary(TOPK_CELL_CAPACITY) };
  return { kind, amount: 0 };
}

function addRow(cell: CellValue, row: { item: string | null; amount: number; sketch: Uint8Array | null }): void {
  if (cell.kind === 'unique') {
    if (row.sketch) addRegisters(cell.sketch, row.sketch);
  } else if (cell.kind === 'topk') {
    if (row.item === null) cell.top.other += row.amount;
    else cell.top.counts.set(row.item, (cell.top.counts.get(row.item) ?? 0) + row.amount);
  } else {
    cell.amount += row.amount;
  }
}

/**
 * Reads the Parquet views in a lake directory in place, or, for a remote lake, fetches the days
 * a query needs into a temp dir first (views are small: one file per tenant-day).
 */
export function createBatchViewStore(options: { lake: LakeStore | string; threads?: number }): BatchViewStore {
  const lake = typeof options.lake === 'string' ? createLocalLake(options.lake) : options.lake;
  let engine: Promise<DuckDbEngine> | null = null;
  let scratch: Promise<string> | null = null;
  const db = () => (engine ??= openDuckDb({ threads: options.threads, macros: false }));

  /** Local files of the views of `dates`, and the dates without one. */
  async function files(tenantId: string, dates: string[]): Promise<{ paths: string[]; missing: string[]; cleanup: string[] }> {
    const paths: string[] = [];
    const missing: string[] = [];
    const cleanup: string[] = [];
    if (lake.localPath) {
      for (const date of dates) {
        const path = lake.localPath(viewKey(tenantId, date));
        if (await exists(path)) paths.push(path);
        else missing.push(date);
      }
      return { paths, missing, cleanup };
    }
    const dir = join(await (scratch ??= mkdtemp(join(tmpdir(), 'analytics-views-'))), randomUUID());
    await mkdir(dir, { recursive: true });
    cleanup.push(dir);
    for (const date of dates) {
      const bytes = await lake.get(viewKey(tenantId, date));
      if (!bytes) {
        missing.push(date);
        continue;
      }
      const path = join(dir, `${date}.parquet`);
      await writeFile(path, bytes);
      paths.push(path);
    }
    return { paths, missing, cleanup };
  }

  async function readChecked(query: CellQuery): Promise<BatchReadResult<BucketReading[]>> {
    if (query.resolution !== 'quarter') return err({ code: 'BATCH.RESOLUTION_UNSUPPORTED', resolution: query.resolution });
    if (query.buckets.length === 0) return ok([]);
    const dates = [...new Set(query.buckets.map((b) => periodAt(b).date))].sort();
    const { paths, missing, cleanup } = await files(query.tenantId, dates);
    try {
      if (missing.length > 0) return err({ code: 'BATCH.PERIOD_MISSING', tenantId: query.tenantId, dates: missing });
      const readings = new Map<number, BucketReading>(query.buckets.map((b) => [b, { total: zero(query.kind), breakdown: new Map() }]));
      const min = Math.min(...query.buckets);
      const max = Math.max(...query.buckets);
      const connection = await (await db()).connect();
      try {
        const reader = await connection.runAndReadAll(
          `SELECT dimension, value, bucket, item, amount, sketch FROM read_parquet([${paths.map(lit).join(', ')}])
           WHERE metric = $metric AND bucket BETWEEN ${min} AND ${max} AND (dimension IS NULL${query.dimension ? ' OR dimension = $dimension' : ''})`,
          { metric: query.metric, ...(query.dimension ? { dimension: query.dimension } : {}) },
        );
        for (const row of reader.getRowObjectsJS()) {
          const reading = readings.get(Number(row.bucket));
          if (!reading) continue;
          const cellRow = {
            item: (row.item as string | null) ?? null,
            amount: Number(row.amount),
            sketch: row.sketch instanceof Uint8Array ? row.sketch : null,
          };
          if (row.dimension === null) {
            addRow(reading.total!, cellRow);
          } else {
            const value = String(row.value);
            let cell = reading.breakdown.get(value);
            if (!cell) reading.breakdown.set(value, (cell = zero(query.kind)));
            addRow(cell, cellRow);
          }
        }
      } finally {
        connection.closeSync();
      }
      return ok(query.buckets.map((b) => readings.get(b)!));
    } finally {
      for (const dir of cleanup) await removeQuietly(dir);
    }
  }

  return {
    readChecked,
    async read(query) {
      const result = await readChecked(query);
      if (!result.ok) throw new BatchViewError(result.error);
      return result.value;
    },
    watermark: (tenantId) => readWatermark(lake, tenantId),
    async coverage(tenantId) {
      return viewDates(await lake.list(viewsTenantPrefix(tenantId))).map(periodOf);
    },
    async close() {
      if (engine) (await engine).close();
      if (scratch) await removeQuietly(await scratch);
    },
  };
}
