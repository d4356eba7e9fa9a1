import type { DuckDBConnection } from '@duckdb/node-api';
import type { FilteredMetricAnswer, FilteredMetricPart, RawMeasure } from './filtered-parts.ts';
import { partRows, readRange, sameRows } from './filtered-rows.ts';
import type { LakeStore } from './lake-store.ts';
import { DAY_MS } from './layout.ts';
import { dayObjects, rawEventsOver, type RawFreshness } from './raw-events.ts';
import { type RawDay, readRawDays } from './raw-read.ts';

/**
 * Measures whose answer over many days comes from each day's alone: a count or sum of events and a
 * visit fact add up (a visit never crosses UTC midnight); a distinct count is the size of the union
 * of each day's distinct values, so a day keeps those values, not their count.
 */
export const BY_DAY: ReadonlySet<RawMeasure['kind']> = new Set(['count', 'sum', 'visit', 'unique_person', 'unique_session']);

const isDistinct = (part: FilteredMetricPart) => part.measure.kind === 'unique_person' || part.measure.kind === 'unique_session';

/** One UTC day's share of one part's answer: per period (by its start) and breakdown value, what the day adds. */
interface DayShare {
  /** c, ct: rows (ct: those counting in the totals); s, st: their sum; ids, idst: a distinct count's values. */
  rows: Array<{ start: number; v: string | null; c: number; ct: number; s: number; st: number; ids: string[]; idst: string[] }>;
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
  shares.rows += sizeOf(share);
  for (const [old, dropped] of shares.byKey) {
    if (shares.rows <= MAX_SHARE_ROWS) break;
    shares.byKey.delete(old);
    shares.rows -= sizeOf(dropped);
  }
}

/** The periods of `part` a UTC day overlaps: with the part's rows and the copy, what the day's share depends on. */
function periodsIn(part: FilteredMetricPart, day: number): string {
  return part.buckets
    .filter((b) => b.start < day + DAY_MS && b.end > day)
    .map((b) => `${Math.floor(b.start)}-${Math.floor(b.end)}`)
    .join(',');
}

/** Periods up to which a row's period is found by a CASE; more are joined as a range. */
const CASE_PERIODS = 48;

/**
 * `b`, the start of the period a row of `set` (as `f`) falls in, and the FROM clause: a CASE over
 * the few periods a question's unshared days usually overlap (NULL outside them), because a range
 * join costs DuckDB a sort of several milliseconds however few the rows; a range join when there
 * are many, where a CASE would test each row against each of them.
 */
function periodOf(periods: ReadonlyArray<{ start: number; end: number }>, set: string): string {
  const bounds = periods.map((b) => [Math.floor(b.start), Math.floor(b.end)] as const);
  if (bounds.length > CASE_PERIODS) return `p.s AS b FROM ${set} f JOIN (VALUES ${bounds.map(([s, e]) => `(${s}, ${e})`).join(', ')}) p(s, e) ON f.ts_ms >= p.s AND f.ts_ms < p.e`;
  return `CASE ${bounds.map(([s, e]) => `WHEN f.ts_ms >= ${s} AND f.ts_ms < ${e} THEN ${s}`).join(' ')} END AS b FROM ${set} f`;
}

const sizeOf = (share: DayShare) => share.rows.reduce((n, row) => n + 1 + row.ids.length + row.idst.length, 1);
const dateOf = (day: number) => new Date(day).toISOString().slice(0, 10);
const num = (value: unknown) => Number(value ?? 0);
const texts = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);

/**
 * `filteredMetrics` for parts whose answer comes from each day's alone (BY_DAY), answered day by
 * day: each day read leaves its share of every part (per period and breakdown value: the counts
 * and sums the day adds, or its distinct values, and its latest receipt) with the connection,
 * under what names the day's events (its columnar copy's digest, or for a local lake's NDJSON day
 * the digest of its objects' tags), the part's rows and the periods the day overlaps. A later
 * question asking the same rows of that day, while the same events stand for it, takes the share
 * instead of reading the day; only the other days (those changed since, or not asked before) go
 * to DuckDB, in one statement. A late object, a rewrite or a removal gives an NDJSON day another
 * digest, a copy that no longer stands for its day (a late object, an erasure settled since) is
 * read as NDJSON, and a rewritten copy has another digest; a day whose events are named by
 * neither (another store's NDJSON) is read each time.
 */
export async function answerByDay(
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
  // A local lake's NDJSON day is named by its objects' tags (what their files are now); another store's is not shared.
  const digests = new Map<string, string | null>();
  const objectsDigest = (day: RawDay) => {
    if (!digests.has(day.date)) digests.set(day.date, lake.localPath ? dayObjects((key) => lake.localPath!(key), day).digest : null);
    return digests.get(day.date)!;
  };
  const plan = asked.map(({ part }, n) => {
    const rows = sameRows(part);
    const days: Array<{ date: string; key: string | null; digest: string | null; share: DayShare | undefined }> = [];
    for (let day = Math.floor(ranges[n]!.from / DAY_MS) * DAY_MS; day < ranges[n]!.to; day += DAY_MS) {
      const listing = byDate.get(dateOf(day))!;
      if (listing.objects === 0) continue;
      const digest = listing.copy ? null : objectsDigest(listing);
      const lines = listing.copy ? listing.copy.sha256 : digest === null ? null : `ndjson ${digest}`;
      const key = lines === null ? null : [tenantId, listing.date, lines, bots, periodsIn(part, day), rows].join('\u0000');
      days.push({ date: listing.date, key, digest, share: key === null ? undefined : take(shares, key) });
    }
    return days;
  });
  const needed = new Set(plan.flatMap((days) => days.filter((d) => !d.share).map((d) => d.date)));

  const computed = new Map<string, DayShare>();
  if (needed.size) {
    const reads = [...needed].flatMap((date) => ranges.map(({ from, to }) => ({ from: Math.max(from, Date.parse(date)), to: Math.min(to, Date.parse(date) + DAY_MS) })));
    const rowsOf = partRows(asked.map(({ part }) => part));
    // Distinct values are listed only when a part counts them: a list per group costs more than a count.
    const distinct = asked.some(({ part }) => isDistinct(part));
    const raw = await rawEventsOver(lake, tenantId, reads, { connection, scalars: rowsOf.columns.scalars(), bots, listed });
    if (raw) {
      // Per part, UTC day, period and breakdown value: what adds up; then per part and day the latest receipt read.
      // Only the days read have rows: each part's periods that overlap one of them, and no part without such a period.
      const read = [...needed].map((date) => Date.parse(date));
      const j = asked.flatMap(({ part }, n) => {
        const periods = part.buckets.filter((b) => read.some((day) => b.start < day + DAY_MS && b.end > day));
        if (!periods.length) return [];
        const distinct = isDistinct(part);
        const columns = `${n} AS n, f.ts_ms // ${DAY_MS} AS d, f.v, ${distinct ? 'NULL::HUGEINT' : 'f.m::HUGEINT'} AS mn, ${distinct ? 'f.m::VARCHAR' : 'NULL::VARCHAR'} AS ms, f.t`;
        return [`SELECT ${columns}, ${periodOf(periods, rowsOf.setOf[n]!)}`];
      });
      if (!j.length) j.push('SELECT 0 AS n, 0::BIGINT AS d, NULL::VARCHAR AS v, NULL::HUGEINT AS mn, NULL::VARCHAR AS ms, false AS t, NULL::BIGINT AS b WHERE false');
      const spans = ranges.map(({ from, to }, n) => `(${n}, ${Math.floor(from)}, ${Math.floor(to)})`).join(', ');
      const sql = `WITH r AS (${raw.sql}),
      ${rowsOf.ctes()},
      j AS (${j.join('\n      UNION ALL ')})
    SELECT n, d, b, v, count(*) AS c, count(*) FILTER (WHERE t) AS ct, sum(mn) AS s, sum(mn) FILTER (WHERE t) AS st,
        ${distinct ? 'list(DISTINCT ms) FILTER (WHERE ms IS NOT NULL) AS ids, list(DISTINCT ms) FILTER (WHERE t AND ms IS NOT NULL) AS idst' : 'NULL::VARCHAR[] AS ids, NULL::VARCHAR[] AS idst'}, NULL::BIGINT AS last
      FROM j WHERE b IS NOT NULL GROUP BY n, d, b, v
    UNION ALL SELECT q.n, x.ts_ms // ${DAY_MS}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, max(x.rcv_ms) FROM x JOIN (VALUES ${spans}) q(n, s, e) ON x.ts_ms >= q.s AND x.ts_ms < q.e GROUP BY ALL`;
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
        else share.rows.push({ start: num(row.b), v: row.v == null ? null : String(row.v), c: num(row.c), ct: num(row.ct), s: num(row.s), st: num(row.st), ids: texts(row.ids), idst: texts(row.idst) });
      }
      // A day leaves its share when it was read as its key names it: from the copy, or from NDJSON objects whose tags are still those of the plan.
      plan.forEach((days, n) => {
        for (const day of days) {
          const asPlanned = day.digest === null ? raw.copied.has(day.date) : raw.ndjson.get(day.date) === day.digest;
          if (!day.share && day.key !== null && asPlanned) keep(shares, day.key, computed.get(`${n}\u0000${day.date}`) ?? { rows: [], through: null });
        }
      });
    }
  }

  let through: number | null = null;
  asked.forEach(({ part, k }, n) => {
    const period = new Map(part.buckets.map((b, i) => [Math.floor(b.start), i]));
    const tally = isDistinct(part) ? distinctTally() : sumTally(part.measure.kind === 'count' ? (['c', 'ct'] as const) : (['s', 'st'] as const));
    for (const day of plan[n]!) {
      const share = day.share ?? computed.get(`${n}\u0000${day.date}`);
      if (!share) continue;
      if (share.through !== null && (through === null || share.through > through)) through = share.through;
      for (const row of share.rows) tally.add(period.get(row.start)!, row);
    }
    tally.into(results[k]!);
  });
  return { results, freshness: { source: 'raw events', through: through === null ? null : new Date(through).toISOString(), files } };
}

type ShareRow = DayShare['rows'][number];

/**
 * What a part's rows of every day add up to, as the single statement's grouping sets read them:
 * per period the rows counting in the totals (t), per period and breakdown value all rows, and the
 * same over the range. Rows without the breakdown's value count in the totals only.
 */
interface Tally {
  add(period: number, row: ShareRow): void;
  into(answer: FilteredMetricAnswer): void;
}

function sumTally([all, once]: readonly ['c' | 's', 'ct' | 'st']): Tally {
  const points = new Map<number, number>();
  const byValue = new Map<number, Map<string, number>>();
  const plus = <K>(map: Map<K, number>, key: K, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  return {
    add(period, row) {
      plus(points, period, row[once]);
      if (row.v === null) return;
      let values = byValue.get(period);
      if (!values) byValue.set(period, (values = new Map()));
      plus(values, row.v, row[all]);
    },
    into(answer) {
      for (const [i, n] of points) {
        answer.points[i]!.value += n;
        answer.total += n;
      }
      for (const [i, values] of byValue) {
        for (const [v, n] of values) {
          answer.points[i]!.breakdown.set(v, n);
          plus(answer.totals, v, n);
        }
      }
    },
  };
}

function distinctTally(): Tally {
  const points = new Map<number, Set<string>>();
  const byValue = new Map<number, Map<string, Set<string>>>();
  const total = new Set<string>();
  const totals = new Map<string, Set<string>>();
  const into = <K>(map: Map<K, Set<string>>, key: K, ids: readonly string[]) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    for (const id of ids) set.add(id);
  };
  return {
    add(period, row) {
      into(points, period, row.idst);
      for (const id of row.idst) total.add(id);
      if (row.v === null) return;
      let values = byValue.get(period);
      if (!values) byValue.set(period, (values = new Map()));
      into(values, row.v, row.ids);
      into(totals, row.v, row.ids);
    },
    into(answer) {
      for (const [i, ids] of points) answer.points[i]!.value = ids.size;
      for (const [i, values] of byValue) for (const [v, ids] of values) answer.points[i]!.breakdown.set(v, ids.size);
      answer.total = total.size;
      for (const [v, ids] of totals) answer.totals.set(v, ids.size);
    },
  };
}
