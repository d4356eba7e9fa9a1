import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GoalDefinition, METRICS, type MetricDeclaration } from '../contracts/index.ts';
import { computePeriod, type PeriodStats } from './compute-period.ts';
import { openDuckDb } from './duckdb-engine.ts';
import { erasureList } from './erasure-guard.ts';
import { localObjectStore } from '../storage/index.ts';
import type { LakeStore } from './lake-store.ts';
import { addEmptySpans, closedUntil, emptySpansBetween, readEmptySpans, spanAt } from './empty-days.ts';
import { DAY_MS, TENANT_ID, periodAt, periodOf, periodsBetween, rawDates, rawTenantPrefix, viewDates, viewsTenantPrefix, type Period } from './layout.ts';
import { changedDays, DEFAULT_RECHECK_DAYS } from './raw-manifest.ts';
import { goalHistory } from './goal-history.ts';
import { compactRawDay } from './raw-columnar.ts';
import { runPeriod } from './run-period.ts';
import { removeStaleTemporaries } from './stale-temporaries.ts';
import { readWatermark, writeWatermark } from './watermark.ts';

export const DEFAULT_GRACE_MS = 5 * 60_000;

export interface BatchProgress {
  /** Periods finished so far out of `total` in this run. */
  done: number;
  total: number;
  tenantId: string;
  date: string;
  stats: PeriodStats;
  /** Raw lines read so far in this run. */
  rawEvents: number;
  elapsedMs: number;
}

export interface RunBatchOptions {
  /** A lake directory or any store with list/get/put (the archiver's ObjectStore). */
  lake: LakeStore | string;
  tenants: readonly string[];
  now: number | Date;
  /** Backfill: recompute these UTC dates (inclusive) instead of the closed periods after the watermark. */
  from?: string;
  to?: string;
  /** A period is closed once now > its end + grace; later arrivals are late. Default 5 minutes. */
  graceMs?: number;
  metrics?: readonly MetricDeclaration[];
  /** Each tenant's visit timeout in ms (the tenant's `visitTimeoutMinutes`); default 30 minutes. */
  visitTimeout?: (tenantId: string) => number;
  /**
   * Each tenant's goals, read once per run. Without from/to, a change of them since the tenant's
   * views were computed recomputes every day with a view, so goals count history from the raw events.
   */
  goals?: (tenantId: string) => Promise<readonly GoalDefinition[]>;
  onProgress?: (progress: BatchProgress) => void;
  /**
   * DuckDB threads per query. Default 1 while tenants run concurrently (one query per core does
   * more per CPU second than two threads per query on a busy machine), else DuckDB's own (cores).
   */
  threads?: number;
  /** Tenants computed at once, each on its own connection (its days one after another). Default: the cores. */
  concurrency?: number;
  /** Scratch space for downloads, Parquet being written and DuckDB spills. Default: the OS temp dir. */
  tempDir?: string;
  /**
   * Without from/to: also recompute those of the last `recheckDays` days before B whose raw
   * objects changed since their view was computed (late events). Default 4 (see DEFAULT_RECHECK_DAYS).
   */
  recheckDays?: number;
  /** Awaited after each tenant-day is computed, before it is published: where tests interleave an erasure. */
  beforePublish?: (day: { tenantId: string; date: string }) => Promise<void> | void;
}

export interface BatchRunResult {
  periods: PeriodStats[];
  /** Each tenant's watermark after the run (ms), null when it has none yet. */
  watermarks: Record<string, number | null>;
  /** Requested periods not computed because they are not closed yet. */
  skippedOpen: Array<{ tenantId: string; date: string }>;
  /** Days before B recomputed (also in `periods`) because raw objects arrived or went since their view. */
  rechecked: Array<{ tenantId: string; date: string }>;
  /** Days before B recomputed (also in `periods`) because the tenant's goals changed since their view. */
  regoaled: Array<{ tenantId: string; date: string }>;
  rawEvents: number;
  elapsedMs: number;
}

/** The periods closed at `now`: those whose end + grace has passed. */
export function isClosed(period: Period, now: number, graceMs: number): boolean {
  return now > period.end + graceMs;
}

/**
 * Recomputes, per tenant, every closed UTC day after its watermark (or from its first raw day),
 * and the recent days before it whose raw objects changed since their view (events that arrived
 * late), or the given backfill range, writing each day's view atomically; the watermark moves
 * only after a view is durable and only across contiguous days, so B never jumps a gap. Running
 * it again over the same raw files writes the same bytes. A day an erasure rewrote while it was
 * being computed is computed again before the run moves on (see `runPeriod`).
 *
 * @example
 * await runBatch({ lake: './data/analytics/lake', tenants: ['acme'], now: Date.now() });
 */
export async function runBatch(options: RunBatchOptions): Promise<BatchRunResult> {
  const started = performance.now();
  const lake = typeof options.lake === 'string' ? localObjectStore(options.lake) : options.lake;
  const now = typeof options.now === 'number' ? options.now : options.now.getTime();
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const metrics = options.metrics ?? METRICS;
  const recheckDays = options.recheckDays ?? DEFAULT_RECHECK_DAYS;
  if ((options.from === undefined) !== (options.to === undefined)) throw new Error('Backfill needs both from and to');
  if (!Number.isInteger(recheckDays) || recheckDays < 0) throw new RangeError('recheckDays must be an integer >= 0');
  for (const t of options.tenants) if (!TENANT_ID.test(t)) throw new Error(`Not a tenant id: ${t}`);

  // Plan first, so progress knows the total.
  const plan: Array<{ tenantId: string; periods: Period[]; goals?: readonly GoalDefinition[]; goalsComputed?: () => Promise<void> }> = [];
  const skippedOpen: BatchRunResult['skippedOpen'] = [];
  const rechecked: BatchRunResult['rechecked'] = [];
  const regoaled: BatchRunResult['regoaled'] = [];
  const watermarks: Record<string, number | null> = {};
  for (const tenantId of options.tenants) {
    // A run killed mid-day leaves its Parquet temporaries beside the views and copies: the next run deletes them.
    await removeStaleTemporaries(lake, tenantId);
    const watermark = await readWatermark(lake, tenantId);
    watermarks[tenantId] = watermark;
    let periods: Period[];
    const goals = options.goals ? await options.goals(tenantId) : undefined;
    let goalsComputed: (() => Promise<void>) | undefined;
    if (options.from !== undefined && options.to !== undefined) {
      periods = periodsBetween(options.from, options.to);
    } else {
      periods = await closedRawDays(lake, tenantId, watermark, closedUntil(now, graceMs));
      const changed = watermark === null ? [] : await changedDays(lake, tenantId, watermark, recheckDays);
      for (const p of changed) rechecked.push({ tenantId, date: p.date });
      periods = [...changed, ...periods];
      if (goals) {
        const history = await goalHistory(lake, tenantId, goals);
        const planned = new Set(periods.map((p) => p.date));
        const more = history.periods.filter((p) => !planned.has(p.date));
        for (const p of more) regoaled.push({ tenantId, date: p.date });
        periods = [...more, ...periods];
        goalsComputed = history.record;
      }
    }
    for (const p of periods) if (!isClosed(p, now, graceMs)) skippedOpen.push({ tenantId, date: p.date });
    plan.push({ tenantId, periods: periods.filter((p) => isClosed(p, now, graceMs)), ...(goals ? { goals } : {}), ...(goalsComputed ? { goalsComputed } : {}) });
  }
  const total = plan.reduce((n, t) => n + t.periods.length, 0);

  const scratch = await mkdtemp(join(options.tempDir ?? tmpdir(), 'analytics-batch-'));
  const concurrency = Math.max(1, Math.min(options.concurrency ?? availableParallelism(), plan.filter((t) => t.periods.length > 0).length));
  const threads = options.threads ?? (concurrency > 1 ? 1 : undefined);
  const engine = await openDuckDb({ ...(threads ? { threads } : {}), tempDir: join(scratch, 'duckdb') });
  const erasures = erasureList(lake);
  const done: Array<{ order: number; stats: PeriodStats }> = [];
  let rawEvents = 0;
  let order = 0;
  const orderOf = new Map(plan.flatMap(({ tenantId, periods }) => periods.map((p) => [`${tenantId} ${p.date}`, order++] as const)));
  // A tenant's days run one after another on one connection, so its watermark, goals record
  // and erasure checks see them in order as before; only tenants run side by side. The first
  // failure stops the other workers from starting another tenant.
  const queue = [...plan];
  let failed = false;
  const worker = async (connection: DuckDBConnection) => {
    try {
      for (let next = queue.shift(); next && !failed; next = queue.shift()) {
        const { tenantId, periods, goals, goalsComputed } = next;
        for (const period of periods) {
          const stats = await runPeriod({
            lake,
            tenantId,
            period,
            graceMs,
            metrics,
            scratch,
            compute: (input, out) =>
              computePeriod(connection, { ...input, ...(options.visitTimeout ? { visitTimeoutMs: options.visitTimeout(input.tenantId) } : {}), ...(goals ? { goals } : {}) }, out),
            compact: (tenant, files, keys, out) => compactRawDay(connection, tenant, files, keys, out),
            ...(goals ? { goals } : {}),
            erasures,
            ...(options.beforePublish ? { beforePublish: options.beforePublish } : {}),
          });
          done.push({ order: orderOf.get(`${tenantId} ${period.date}`)!, stats });
          rawEvents += stats.rawEvents;
          watermarks[tenantId] = await advanceWatermark(lake, tenantId, watermarks[tenantId] ?? null, now, graceMs);
          options.onProgress?.({ done: done.length, total, tenantId, date: period.date, stats, rawEvents, elapsedMs: performance.now() - started });
        }
        // Days recorded empty after the last computed one (or with none computed) move B too.
        watermarks[tenantId] = await advanceWatermark(lake, tenantId, watermarks[tenantId] ?? null, now, graceMs);
        await goalsComputed?.();
      }
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  // Connected one after another: each connection (re)creates the shared macros.
  const connections: DuckDBConnection[] = [];
  try {
    for (let i = 0; i < concurrency; i++) connections.push(await engine.connect());
    const outcomes = await Promise.allSettled(connections.map(worker));
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (rejected) throw rejected.reason;
  } finally {
    for (const connection of connections) connection.closeSync();
    engine.close();
    await rm(scratch, { recursive: true, force: true });
  }
  const results = done.sort((a, b) => a.order - b.order).map((d) => d.stats);
  return { periods: results, watermarks, skippedOpen, rechecked, regoaled, rawEvents, elapsedMs: performance.now() - started };
}

/**
 * The closed days from B (or the tenant's first raw day) that have raw data, from one listing of
 * the tenant's raw store; the days between them are recorded as empty rather than computed, so
 * two events years apart cost two days, not every day of the calendar between them.
 */
async function closedRawDays(lake: LakeStore, tenantId: string, watermark: number | null, until: number): Promise<Period[]> {
  const rawDays = rawDates(await lake.list(rawTenantPrefix(tenantId))).map(periodOf);
  const first = watermark ?? rawDays[0]?.start;
  if (first === undefined || first >= until) return [];
  await addEmptySpans(lake, tenantId, emptySpansBetween(first, until, rawDays));
  return rawDays.filter((p) => p.start >= first && p.end <= until);
}

/**
 * Moves B forward across contiguous closed days that have views or are recorded empty, starting
 * from B (or, with no B yet, from the tenant's first view). Called only after a view is durable.
 */
export async function advanceWatermark(lake: LakeStore, tenantId: string, current: number | null, now: number, graceMs: number): Promise<number | null> {
  const covered = new Set(viewDates(await lake.list(viewsTenantPrefix(tenantId))));
  const empty = await readEmptySpans(lake, tenantId);
  const firstView = [...covered].sort()[0];
  let b = current ?? (firstView === undefined ? null : periodOf(firstView).start);
  if (b === null) return null;
  const from = b;
  const until = closedUntil(now, graceMs);
  while (b < until) {
    if (covered.has(periodAt(b).date)) b += DAY_MS;
    else {
      // A whole empty span in one step: B crosses years without data without walking them.
      const span = spanAt(empty, b);
      if (!span) break;
      b = Math.min(span.end, until);
    }
  }
  if (b === from) return current;
  await writeWatermark(lake, tenantId, b);
  return b;
}

/** Tenants that have raw data in the lake. */
export async function discoverTenants(lake: LakeStore | string): Promise<string[]> {
  const store = typeof lake === 'string' ? localObjectStore(lake) : lake;
  const keys = await store.list('raw/');
  return [...new Set(keys.map((k) => /^raw\/tenant=([^/]+)\//.exec(k)?.[1]).filter((t): t is string => t !== undefined && TENANT_ID.test(t)))].sort();
}
