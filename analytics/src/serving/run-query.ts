import { type AggregateStore, type BreakdownDimension, type BucketReading, type CellValue, type MetricDeclaration, type TenantStatus, TOPK_CELL_CAPACITY } from '../contracts/index.ts';
import { HyperLogLog, type TopKItem, TopKSummary } from '../sketches/index.ts';
import { seriesBuckets, type Granularity, type SeriesBucket } from './series-buckets.ts';
import { formatLocal } from '../calendar/index.ts';

export interface MetricQuery {
  tenantId: string;
  metric: MetricDeclaration;
  from: number;
  to: number;
  granularity: Granularity;
  timeZone: string;
  breakdown?: BreakdownDimension;
  /**
   * Only events whose `dimension` is `value`: read from the cells of that breakdown, so it combines
   * with no breakdown or a breakdown by the same dimension (stored cells are one dimension deep).
   */
  filter?: { dimension: BreakdownDimension; value: string };
  /** Breakdown values (ranked over the whole range) or top-K items to return. */
  limit: number;
}

/** The breakdown whose cells a query reads: its own, else its filter's. */
export function readDimension(query: Pick<MetricQuery, 'breakdown' | 'filter'>): BreakdownDimension | undefined {
  return query.breakdown ?? query.filter?.dimension;
}

/** A reading narrowed to the filter's value: that value's cell becomes the total. */
function narrow(reading: BucketReading | undefined, filter: MetricQuery['filter'], keepBreakdown: boolean): BucketReading | undefined {
  if (!reading || !filter) return reading;
  const cell = reading.breakdown.get(filter.value) ?? null;
  return { total: cell, breakdown: keepBreakdown && cell ? new Map([[filter.value, cell]]) : new Map() };
}

export interface SeriesPoint {
  /** Local period start and end, ISO 8601 with the zone's offset at that instant. */
  start: string;
  end: string;
  /** Count, sum (minor units), distinct estimate, or total hits for top-K. */
  value: number;
  top?: TopKItem[];
  breakdown?: Record<string, number>;
}

export interface MetricResult {
  metric: string;
  /** `ratio`: one declared metric over another (bounce rate, mean visit duration). */
  kind: MetricDeclaration['measure']['kind'] | 'ratio';
  granularity: Granularity;
  timeZone: string;
  from: string;
  to: string;
  /** For sums: the value is an integer of 10^-decimals units. */
  decimals?: number;
  series: SeriesPoint[];
  /** The whole range: sums add, sketches merge (a distinct count over the range, not a sum of points). */
  total: { value: number; top?: TopKItem[] };
  breakdown?: { dimension: BreakdownDimension; values: string[] };
  filter?: { dimension: BreakdownDimension; value: string };
  freshness: { lastEventTime: string | null; lagMs: number | null; late: number; rejected: number };
}

/**
 * One metric over local periods, read from the speed layer's buckets. Kept apart from HTTP so
 * the serving layer can call it for the part of a range after the batch watermark.
 */
export async function runQuery(store: AggregateStore, query: MetricQuery, now: number): Promise<MetricResult> {
  const kind = query.metric.measure.kind;
  const buckets = seriesBuckets(query);
  const sources = buckets.flatMap((b) => b.sources);
  const resolution = buckets[0]?.resolution ?? 'minute';
  const [readings, status] = await Promise.all([
    store.read({ tenantId: query.tenantId, metric: query.metric.name, kind, resolution, buckets: sources, dimension: readDimension(query) }),
    store.tenantStatus(query.tenantId),
  ]);
  const byBucket = new Map(sources.map((s, i) => [s, readings[i]]));
  return assembleResult(query, buckets, (source) => byBucket.get(source), status, now);
}

/**
 * Folds stored readings into the local periods of `buckets`: amounts add, sketches merge,
 * top-K summaries merge. The serving layer calls it with readings from both layers.
 */
export function assembleResult(
  query: MetricQuery,
  buckets: readonly SeriesBucket[],
  readStored: (source: number) => BucketReading | undefined,
  status: TenantStatus,
  now: number,
): MetricResult {
  const kind = query.metric.measure.kind;
  const readingOf = (source: number) => narrow(readStored(source), query.filter, query.breakdown !== undefined);
  const merged = buckets.map((bucket) => {
    const total = new Accumulator(kind);
    const breakdown = new Map<string, Accumulator>();
    for (const source of bucket.sources) {
      const reading = readingOf(source);
      if (!reading) continue;
      total.add(reading.total);
      for (const [value, cell] of reading.breakdown) {
        let acc = breakdown.get(value);
        if (!acc) breakdown.set(value, (acc = new Accumulator(kind)));
        acc.add(cell);
      }
    }
    return { bucket, total, breakdown };
  });

  const rangeTotal = new Accumulator(kind);
  for (const m of merged) rangeTotal.merge(m.total);

  let breakdownValues: string[] | undefined;
  if (query.breakdown) {
    const ranking = new Map<string, number>();
    for (const m of merged) for (const [value, acc] of m.breakdown) ranking.set(value, (ranking.get(value) ?? 0) + acc.value());
    breakdownValues = [...ranking].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, query.limit).map(([v]) => v);
  }

  const decimals = query.metric.measure.kind === 'sum' ? query.metric.measure.decimals : undefined;
  return {
    metric: query.metric.name,
    kind,
    granularity: query.granularity,
    timeZone: query.timeZone,
    from: formatLocal(buckets[0]?.start ?? query.from, query.timeZone),
    to: formatLocal(buckets.at(-1)?.end ?? query.to, query.timeZone),
    ...(decimals === undefined ? {} : { decimals }),
    series: merged.map(({ bucket, total, breakdown }) => ({
      start: formatLocal(bucket.start, query.timeZone),
      end: formatLocal(bucket.end, query.timeZone),
      value: total.value(),
      ...(kind === 'topk' ? { top: total.top(query.limit) } : {}),
      ...(breakdownValues ? { breakdown: Object.fromEntries(breakdownValues.map((v) => [v, breakdown.get(v)?.value() ?? 0])) } : {}),
    })),
    total: { value: rangeTotal.value(), ...(kind === 'topk' ? { top: rangeTotal.top(query.limit) } : {}) },
    ...(query.breakdown && breakdownValues ? { breakdown: { dimension: query.breakdown, values: breakdownValues } } : {}),
    ...(query.filter ? { filter: query.filter } : {}),
    freshness: {
      lastEventTime: status.lastEventTime === null ? null : new Date(status.lastEventTime).toISOString(),
      lagMs: status.lastReceivedAt === null ? null : Math.max(0, now - status.lastReceivedAt),
      late: status.late,
      rejected: status.rejected,
    },
  };
}

/**
 * Merges cells of one metric kind: amounts add, sketches take register maxima, top-K counts add.
 * A lone sketch is only referenced (never written): a minute series' points each hold one cell,
 * and a sparse batch sketch estimates without becoming 16 KiB; the second one makes a copy.
 */
class Accumulator {
  private amount = 0;
  private sketch: HyperLogLog | null = null;
  private ownSketch = false;
  private summary: TopKSummary | null = null;

  constructor(private readonly kind: MetricDeclaration['measure']['kind']) {}

  add(cell: CellValue | null): void {
    if (!cell) return;
    if (cell.kind === 'unique') this.mergeSketch(cell.sketch);
    else if (cell.kind === 'topk') (this.summary ??= new TopKSummary(TOPK_CELL_CAPACITY)).merge(cell.top);
    else this.amount += cell.amount;
  }

  merge(other: Accumulator): void {
    this.amount += other.amount;
    if (other.sketch) this.mergeSketch(other.sketch);
    if (other.summary) (this.summary ??= new TopKSummary(TOPK_CELL_CAPACITY)).merge(other.summary);
  }

  private mergeSketch(sketch: HyperLogLog): void {
    if (!this.sketch) {
      this.sketch = sketch;
      return;
    }
    if (!this.ownSketch) {
      this.sketch = new HyperLogLog().merge(this.sketch);
      this.ownSketch = true;
    }
    this.sketch.merge(sketch);
  }

  value(): number {
    if (this.kind === 'unique') return this.sketch ? Math.round(this.sketch.estimate()) : 0;
    if (this.kind === 'topk') return this.summary?.total() ?? 0;
    return this.amount;
  }

  top(k: number): TopKItem[] {
    return this.summary?.top(k) ?? [];
  }
}
