import {
  type AnalyticsEvent,
  bucketStart,
  type CellDelta,
  type Contribution,
  contributions,
  foldVisit,
  type MetricDeclaration,
  visitorOf,
  type PartitionBatch,
  type Resolution,
  type Series,
  type TenantDelta,
} from '../contracts/index.ts';
import { VisitBook, type VisitsByTenant } from './visit-book.ts';
import { hash64, HyperLogLog } from '../sketches/index.ts';
import { noGoals, type TenantGoals, withGoalContributions } from './tenant-goals.ts';

/**
 * Folds the records of one partition between two flushes into cell deltas, so a flush writes
 * each touched cell once however many events hit it. Positions are the log offsets covered:
 * [from, to).
 */
export class PartitionBuffer {
  readonly from: number;
  to: number;
  events = 0;
  /**
   * Cells by tenant and resolution, then bucket start, then metric, then (for a breakdown)
   * dimension and value: every lookup key is a string the event or the declarations already hold,
   * so a fold builds no key strings (a new visit alone touches about 80 series per resolution).
   */
  private readonly cells = new Map<string, Record<Resolution, Map<number, BucketCells>>>();
  private readonly tenants = new Map<string, TenantDelta>();
  /** Visits this buffer opened or extended, committed to `visits` once its flush is applied. */
  readonly stagedVisits: VisitsByTenant = new Map();
  private receivedText: string | undefined;
  private receivedMs = Number.NaN;

  constructor(
    readonly partition: number,
    from: number,
    private readonly metrics: readonly MetricDeclaration[],
    /** Minute buckets older than this on arrival are gone from the store: their events count as `late`. */
    private readonly minuteRetentionMs: number,
    private readonly visits: VisitBook = new VisitBook(),
    private readonly goals: TenantGoals = noGoals,
  ) {
    this.from = from;
    this.to = from;
  }

  /**
   * Folds one record. Lateness is judged at the record's `receivedAt` (the collector's clock), so
   * a replay folds a record exactly as the live run did however much later it runs; `nowMs` only
   * stands in for an unreadable `receivedAt`.
   */
  add(offset: number, event: AnalyticsEvent, nowMs: number): void {
    this.to = offset + 1;
    this.events++;
    const tenant = this.tenant(event.tenantId);
    const time = Date.parse(event.timestamp);
    // The events of one request share their receipt time: parsed once (Date.parse is a few hundred ns).
    if (event.receivedAt !== this.receivedText) this.receivedMs = Date.parse((this.receivedText = event.receivedAt));
    const receivedAt = this.receivedMs;
    tenant.lastReceivedAt = Math.max(tenant.lastReceivedAt, receivedAt || 0);
    if (!Number.isFinite(time)) {
      tenant.rejected++;
      return;
    }
    if (bucketStart(time, 'minute') + this.minuteRetentionMs <= (Number.isFinite(receivedAt) ? receivedAt : nowMs)) {
      tenant.late++;
      return;
    }
    tenant.lastEventTime = Math.max(tenant.lastEventTime, time);
    const result = withGoalContributions(contributions(event, this.metrics), event, this.metrics, this.goals);
    tenant.rejected += result.rejections.length;
    let byResolution = this.cells.get(event.tenantId);
    if (!byResolution) this.cells.set(event.tenantId, (byResolution = { minute: new Map(), quarter: new Map() }));
    const minute = bucketStart(time, 'minute');
    const quarter = bucketStart(time, 'quarter');
    const minuteCells = bucketCells(byResolution.minute, minute);
    const quarterCells = bucketCells(byResolution.quarter, quarter);
    let identity: string | undefined;
    let hash = 0n;
    for (const contribution of result.contributions) {
      // One identity feeds a total, its breakdowns and two resolutions: hashed once.
      if (contribution.kind === 'unique' && contribution.identity !== identity) hash = hash64((identity = contribution.identity));
      fold(minuteCells, event.tenantId, 'minute', minute, contribution, hash);
      fold(quarterCells, event.tenantId, 'quarter', quarter, contribution, hash);
    }
    this.addVisit(event, time, Number.isFinite(receivedAt) ? receivedAt : nowMs, byResolution);
  }

  /** Folds the event into its visitor's visit: the changes land in the visit's start buckets. */
  private addVisit(event: AnalyticsEvent, time: number, received: number, byResolution: Record<Resolution, Map<number, BucketCells>>): void {
    const visitor = visitorOf(event);
    if (!visitor) return;
    let staged = this.stagedVisits.get(event.tenantId);
    const timeout = this.visits.timeoutOf(event.tenantId);
    const open = VisitBook.usable(staged?.get(visitor) ?? this.visits.get(event.tenantId, visitor), received, timeout);
    const step = foldVisit(open, event, time, timeout, this.metrics);
    if (!step) return;
    if (step.keep) {
      if (!staged) this.stagedVisits.set(event.tenantId, (staged = new Map()));
      staged.set(visitor, { visit: step.visit, received });
    }
    for (const resolution of RESOLUTIONS) {
      const bucket = bucketStart(step.visit.start, resolution);
      const cells = bucketCells(byResolution[resolution], bucket);
      for (const delta of step.deltas) {
        const cell = cellOf(cells, event.tenantId, resolution, bucket, delta.metric, delta.series, 'count');
        if (cell.kind === 'count') cell.amount += delta.amount;
      }
    }
  }

  /** Hands the visits folded here to the partition's book: call once the store took this buffer's batch. */
  commitVisits(): void {
    this.visits.commit(this.stagedVisits);
  }

  /** Passes over a record (an excluded one): its offset is covered, nothing of it is counted. */
  skip(offset: number): void {
    this.to = offset + 1;
  }

  toBatch(): PartitionBatch {
    const cells: CellDelta[] = [];
    for (const byResolution of this.cells.values()) {
      for (const buckets of [byResolution.minute, byResolution.quarter]) {
        for (const metrics of buckets.values()) {
          for (const { total, breakdowns } of metrics.values()) {
            if (total) cells.push(total);
            for (const values of breakdowns.values()) for (const cell of values.values()) cells.push(cell);
          }
        }
      }
    }
    return { partition: this.partition, from: this.from, to: this.to, cells, tenants: [...this.tenants.values()] };
  }

  private tenant(tenantId: string): TenantDelta {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { tenantId, late: 0, rejected: 0, lastEventTime: 0, lastReceivedAt: 0 };
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }
}

const RESOLUTIONS: readonly Resolution[] = ['minute', 'quarter'];

/** One metric's cells in one bucket: its total, and its breakdowns by dimension, then value. */
interface MetricCells {
  total: CellDelta | undefined;
  breakdowns: Map<string, Map<string, CellDelta>>;
}

/** One bucket's cells by metric. */
type BucketCells = Map<string, MetricCells>;

function bucketCells(buckets: Map<number, BucketCells>, bucket: number): BucketCells {
  let cells = buckets.get(bucket);
  if (!cells) buckets.set(bucket, (cells = new Map()));
  return cells;
}

/** The series' cell in the bucket, made empty of `kind` when the buffer has none yet. */
function cellOf(cells: BucketCells, tenantId: string, resolution: Resolution, bucket: number, metric: string, series: Series | null, kind: CellDelta['kind']): CellDelta {
  let cellsOfMetric = cells.get(metric);
  if (!cellsOfMetric) cells.set(metric, (cellsOfMetric = { total: undefined, breakdowns: new Map() }));
  let values: Map<string, CellDelta> | undefined;
  let cell: CellDelta | undefined;
  if (series) {
    values = cellsOfMetric.breakdowns.get(series.dimension);
    if (!values) cellsOfMetric.breakdowns.set(series.dimension, (values = new Map()));
    cell = values.get(series.value);
  } else cell = cellsOfMetric.total;
  if (cell) return cell;
  const address = { tenantId, metric, resolution, bucket, series };
  if (kind === 'unique') cell = { ...address, kind, sketch: new HyperLogLog() };
  else if (kind === 'topk') cell = { ...address, kind, items: new Map() };
  else cell = { ...address, kind, amount: 0 };
  if (values) values.set(series!.value, cell);
  else cellsOfMetric.total = cell;
  return cell;
}

function fold(cells: BucketCells, tenantId: string, resolution: Resolution, bucket: number, c: Contribution, hash: bigint): void {
  const cell = cellOf(cells, tenantId, resolution, bucket, c.metric, c.series, c.kind);
  switch (c.kind) {
    case 'count':
    case 'sum':
      if (cell.kind === 'count' || cell.kind === 'sum') cell.amount += c.amount;
      return;
    case 'unique':
      if (cell.kind === 'unique') cell.sketch.addHash(hash);
      return;
    case 'topk':
      if (cell.kind === 'topk') cell.items.set(c.item, (cell.items.get(c.item) ?? 0) + 1);
      return;
  }
}
