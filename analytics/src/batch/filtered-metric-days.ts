import type { DuckDBConnection } from '@duckdb/node-api';
import type { FilteredMetricAnswer, FilteredMetricPart, RawMeasure } from './filtered-parts.ts';
import { partRows, readRange, sameRows } from './filtered-rows.ts';
import type { LakeStore } from './lake-store.ts';
import { DAY_MS } from './layout.ts';
import { rawEventsOver, type RawFreshness } from './raw-events.ts';
import { readRawDays } from './raw-read.ts';

/** Measures whose answer over many days is the sum of each day's: a count or sum of events, a visit fact (a visit never crosses UTC midnight). */
export const ADDITIVE: ReadonlySet<RawMeasure['kind']> = new Set(['count', 'sum', 'visit']);

/** One UTC day's share of one part's answer: per period (by its start) and breakdown value, what the day adds. */
interface DayShare {
  rows: Array<{ start: number; v: string | null; c: number; ct: number; s: number; st: number }>;
  /** The latest receipt among the day's events the part read; null when none. */
  through: number | null;
}

/** Rows of day shares kept per connection; past it the least recently used shares go. */
export const MAX_SHARE_ROWS = 200_000;

interface Shares {
  byKey: Map<string, DayShare>;
  rows: number;
}

const kept = new WeakMap<DuckDBConnection, Shares>();

function sharesOf(connection: DuckDBConnection): Shares {
  let shares = kept.get(connection);
  if (!shares) kept.set(connection, (shares = { byKey: new Map(), rows: 0 }));
  return shares;
}

function take(shares: Shares, key: string): DayShare | undefined {
  const share = shares.byKey.get(key);
  if (share) {
    // Map order is use order: the first key is the least recently used.
    shares.byKey.delete(key);
    shares.byKey.set(key, share);
  }
  return share;
}

function keep(shares: Shares, key: string, share: DayShare): void {
  shares.byKey.set(key, share);
  shares.rows += share.rows.length + 1;
  for (const [old, dropped] of shares.byKey) {
    if (shares.rows <= MAX_SHARE_ROWS) break;
    shares.byKey.delete(old);
    shares.rows -= dropped.rows.length + 1;
  }
}

/** The periods of `part` a UTC day overlaps: with the part's rows and the copy, what the day's share depends on. */
function periodsIn(part: FilteredMetricPart, day: number): string {
  return part.buckets
    .filter((b) => b.start < day + DAY_MS && b.end > day)
    .map((b) => `${Math.floor(b.start)}-${Math.floor(b.end)}`)
    .join(',');
}

const dateOf = (day: number) => new Date(day).toISOString().slice(0, 10);
const num = (value: unknown) => Number(value ?? 0);

/**
 * `filteredMetrics` for parts whose measures add up across days, answered day by day: each
 * closed day read from its columnar copy leaves its share of every part (per period and
 * breakdown value: the counts and sums the day adds, and its latest receipt) with the connection,
 * under the copy's digest, the part's rows and the periods the day overlaps. A later question
 * asking the same rows of that day under the same copy adds the share instead of reading the day;
 * only the other days (today, days read from NDJSON, days not asked before) go to DuckDB, in one
 * statement. A day whose copy no longer stands for it (a late object, an erasure settled since)
 * reads its NDJSON and is never answered from a share; a rewritten copy has another digest.
 */
export async function additiveByDay(
  connection: DuckDBConnection,
  lake: LakeStore,
  tenantId: string,
  asked: ReadonlyArray<{ part: FilteredMetricPart; k: number }>,
  results: FilteredMetricAnswer[],
): Promise<{ results: FilteredMetricAnswer[]; freshness: RawFreshness }> {
  const bots = asked.some(({ part }) => part.bots);
  const ranges = asked.map(({ part }) => readRange(part));
  const dates = new Set<string>();
  for (const { from, to } of ranges) for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) dates.add(dateOf(day));
  const listed = await readRawDays(lake, tenantId, [...dates].sort());
  const files = listed.reduce((n, d) => n + d.objects, 0);
  if (files === 0) return { results, freshness: { source: 'raw events', through: null, files: 0 } };
  const byDate = new Map(listed.map((d) => [d.date, d]));
  const shares = sharesOf(connection);
  const plan = asked.map(({ part }, n) => {
    const rows = sameRows(part);
    const days: Array<{ date: string; key: string | null; share: DayShare | undefined }> = [];
    for (let day = Math.floor(ranges[n]!.from / DAY_MS) * DAY_MS; day < ranges[n]!.to; day += DAY_MS) {
      const listing = byDate.get(dateOf(day))!;
      if (listing.objects === 0) continue;
      const key = listing.copy ? [tenantId, listing.date, listing.copy.sha256, bots, periodsIn(part, day), rows].join('\u0000') : null;
      days.push({ date: listing.date, key, share: key === null ? undefined : take(shares, key) });
    }
    return days;
  });
  const needed = new Set(plan.flatMap((days) => days.filter((d) => !d.share).map((d) => d.date)));

  const computed = new Map<string, DayShare>();
  if (needed.size) {
    const reads = [...needed].flatMap((date) => ranges.map(({ from, to }) => ({ from: Math.max(from, Date.parse(date)), to: Math.min(to, Date.parse(date) + DAY_MS) })));
    const rowsOf = partRows(asked.map(({ part }) => part));
    const raw = await rawEventsOver(lake, tenantId, reads, { connection, scalars: rowsOf.columns.scalars(), bots, listed });
    if (raw) {
      // Per part, UTC day, period and breakdown value: what adds up; then per part and day the latest receipt read.
      const j = asked.map(({ part }, n) => {
        const periods = part.buckets.map((b) => `(${Math.floor(b.start)}, ${Math.floor(b.end)})`).join(', ');
        return `SELECT ${n} AS n, f.ts_ms // ${DAY_MS} AS d, p.s AS b, f.v, f.m::HUGEINT AS mn, f.t FROM ${rowsOf.setOf[n]} f JOIN (VALUES ${periods}) p(s, e) ON f.ts_ms >= p.s AND f.ts_ms < p.e`;
      });
      const spans = ranges.map(({ from, to }, n) => `(${n}, ${Math.floor(from)}, ${Math.floor(to)})`).join(', ');
      const sql = `WITH r AS (${raw.sql}),
      ${rowsOf.ctes()},
      j AS (${j.join('\n      UNION ALL ')})
    SELECT n, d, b, v, count(*) AS c, count(*) FILTER (WHERE t) AS ct, sum(mn) AS s, sum(mn) FILTER (WHERE t) AS st, NULL::BIGINT AS last FROM j GROUP BY n, d, b, v
    UNION ALL SELECT q.n, x.ts_ms // ${DAY_MS}, NULL, NULL, NULL, NULL, NULL, NULL, max(x.rcv_ms) FROM x JOIN (VALUES ${spans}) q(n, s, e) ON x.ts_ms >= q.s AND x.ts_ms < q.e GROUP BY ALL`;
      let rows: Record<string, unknown>[];
      try {
        rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
      } finally {
        await raw.release();
      }
      for (const row of rows) {
        const at = `${num(row.n)}\u0000${dateOf(num(row.d) * DAY_MS)}`;
        let share = computed.get(at);
        if (!share) computed.set(at, (share = { rows: [], through: null }));
        if (row.last != null) share.through = num(row.last);
        else share.rows.push({ start: num(row.b), v: row.v == null ? null : String(row.v), c: num(row.c), ct: num(row.ct), s: num(row.s), st: num(row.st) });
      }
      // Only a day read from its copy leaves its share: the copy's digest says when it no longer holds.
      plan.forEach((days, n) => {
        for (const day of days) if (!day.share && day.key !== null && raw.copied.has(day.date)) keep(shares, day.key, computed.get(`${n}\u0000${day.date}`) ?? { rows: [], through: null });
      });
    }
  }

  let through: number | null = null;
  asked.forEach(({ part, k }, n) => {
    const answer = results[k]!;
    const period = new Map(part.buckets.map((b, i) => [Math.floor(b.start), i]));
    const [all, once] = part.measure.kind === 'count' ? (['c', 'ct'] as const) : (['s', 'st'] as const);
    for (const day of plan[n]!) {
      const share = day.share ?? computed.get(`${n}\u0000${day.date}`);
      if (!share) continue;
      if (share.through !== null && (through === null || share.through > through)) through = share.through;
      for (const row of share.rows) {
        const point = answer.points[period.get(row.start)!]!;
        point.value += row[once];
        answer.total += row[once];
        // Events without the breakdown's value count in the totals only.
        if (row.v === null) continue;
        point.breakdown.set(row.v, (point.breakdown.get(row.v) ?? 0) + row[all]);
        answer.totals.set(row.v, (answer.totals.get(row.v) ?? 0) + row[all]);
      }
    }
  });
  return { results, freshness: { source: 'raw events', through: through === null ? null : new Date(through).toISOString(), files } };
}
