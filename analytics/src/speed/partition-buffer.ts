import { type AnalyticsEvent, bucketStart, type CellDelta, type Contribution, contributions, type MetricDeclaration, type PartitionBatch, type Resolution, type TenantDelta } from '../contracts/index.ts';
import { HashMemo, HyperLogLog } from '../sketches/index.ts';

// Shared by every buffer of the process: people and sessions recur across flushes.
const identityHashes = new HashMemo();

/**
 * Folds the records of one partition between two flushes into cell deltas, so a flush writes
 * each touched cell once however many events hit it. Positions are the log offsets covered:
 * [from, to).
 */
export class PartitionBuffer {
  readonly from: number;
  to: number;
  events = 0;
  private readonly cells = new Map<string, CellDelta>();
  private readonly tenants = new Map<string, TenantDelta>();

  constructor(
    readonly partition: number,
    from: number,
    private readonly metrics: readonly MetricDeclaration[],
    /** Minute buckets older than this on arrival are gone from the store: their events count as `late`. */
    private readonly minuteRetentionMs: number,
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
    const receivedAt = Date.parse(event.receivedAt);
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
    const result = contributions(event, this.metrics);
    tenant.rejected += result.rejections.length;
    // The cell key's prefix per resolution, built once per event rather than once per contribution.
    const minute = bucketStart(time, 'minute');
    const quarter = bucketStart(time, 'quarter');
    const minutePrefix = `${event.tenantId}\u0000minute\u0000${minute}\u0000`;
    const quarterPrefix = `${event.tenantId}\u0000quarter\u0000${quarter}\u0000`;
    for (const contribution of result.contributions) {
      // One identity feeds a total, its breakdowns and two resolutions: hashed once (and remembered).
      const hash = contribution.kind === 'unique' ? identityHashes.hash(contribution.identity) : 0n;
      const series = contribution.series ? `${contribution.metric}\u0000${contribution.series.dimension}\u0000${contribution.series.value}` : contribution.metric;
      this.fold(minutePrefix + series, event.tenantId, 'minute', minute, contribution, hash);
      this.fold(quarterPrefix + series, event.tenantId, 'quarter', quarter, contribution, hash);
    }
  }

  /** Passes over a record (an excluded one): its offset is covered, nothing of it is counted. */
  skip(offset: number): void {
    this.to = offset + 1;
  }

  toBatch(): PartitionBatch {
    return { partition: this.partition, from: this.from, to: this.to, cells: [...this.cells.values()], tenants: [...this.tenants.values()] };
  }

  private tenant(tenantId: string): TenantDelta {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { tenantId, late: 0, rejected: 0, lastEventTime: 0, lastReceivedAt: 0 };
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }

  private fold(key: string, tenantId: string, resolution: Resolution, bucket: number, c: Contribution, hash: bigint): void {
    let cell = this.cells.get(key);
    if (!cell) {
      const address = { tenantId, metric: c.metric, resolution, bucket, series: c.series };
      if (c.kind === 'unique') cell = { ...address, kind: 'unique', sketch: new HyperLogLog() };
      else if (c.kind === 'topk') cell = { ...address, kind: 'topk', items: new Map() };
      else cell = { ...address, kind: c.kind, amount: 0 };
      this.cells.set(key, cell);
    }
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
}
