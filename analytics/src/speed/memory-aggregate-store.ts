import { HyperLogLog, TopKSummary } from '../sketches/index.ts';
import {
  DEFAULT_RETENTION,
  TOPK_CELL_CAPACITY,
  expiresAt,
  type AggregateStore,
  type AggregateStoreOptions,
  type BatchOutcome,
  type BucketReading,
  type CellBatch,
  type CellDelta,
  type CellValue,
  type TenantStatus,
} from '../contracts/index.ts';

interface Entry {
  value: CellValue;
  expiresAt: number;
}

/**
 * The embedded default: the same semantics as Redis (bucket expiry included) in a Map. Each
 * `applyBatch` and `purgeTenant` runs without an await between its first read and its last
 * write, which is what makes it atomic in a single-threaded process.
 */
export function createMemoryAggregateStore(options: AggregateStoreOptions & { now?: () => number } = {}): AggregateStore {
  const now = options.now ?? Date.now;
  const retention = options.retention ?? DEFAULT_RETENTION;
  const cells = new Map<string, Entry>();
  // tenant|metric|resolution|bucket|dimension → breakdown values seen
  const indexes = new Map<string, { values: Set<string>; expiresAt: number }>();
  const positions = new Map<number, number>();
  // Purges so far, and the last one each partition has acknowledged: a partition's first batch after
  // a purge is refused once, since it may have been folded before the purge.
  let purges = 0;
  const acknowledged = new Map<number, number>();
  const tenants = new Map<string, TenantStatus>();

  const live = <T extends { expiresAt: number }>(map: Map<string, T>, key: string): T | undefined => {
    const entry = map.get(key);
    if (entry && entry.expiresAt <= now()) {
      map.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(() => {
    for (const key of cells.keys()) live(cells, key);
    for (const key of indexes.keys()) live(indexes, key);
  }, 60_000);
  sweep.unref();

  const apply = (delta: CellDelta) => {
    const expiry = expiresAt(delta, retention);
    if (expiry <= now()) return;
    const base = `${delta.tenantId}|${delta.metric}|${delta.resolution}|${delta.bucket}`;
    const key = delta.series ? `${base}|${delta.series.dimension}|${delta.series.value}` : base;
    if (delta.series) {
      const indexKey = `${base}|${delta.series.dimension}`;
      const index = live(indexes, indexKey) ?? { values: new Set<string>(), expiresAt: expiry };
      index.values.add(delta.series.value);
      indexes.set(indexKey, index);
    }
    const current = live(cells, key)?.value;
    cells.set(key, { value: combine(current, delta), expiresAt: expiry });
  };

  return {
    retention,
    async applyBatch(batches) {
      const outcomes: BatchOutcome[] = [];
      for (const batch of batches) {
        const stored = positions.get(batch.partition);
        if (stored !== undefined && batch.to <= stored) outcomes.push('duplicate');
        else if (stored !== undefined && batch.from !== stored) outcomes.push('conflict');
        else if (!acknowledgesPurges(batch.partition)) outcomes.push('conflict');
        else {
          applyContent(batch);
          positions.set(batch.partition, batch.to);
          outcomes.push('applied');
        }
      }
      return outcomes;
    },
    async applyCells(batches) {
      for (const batch of batches) applyContent(batch);
    },
    async clear() {
      cells.clear();
      indexes.clear();
      positions.clear();
      purges = 0;
      acknowledged.clear();
      tenants.clear();
    },
    async purgeTenant(tenantId) {
      const own = `${tenantId}|`;
      for (const key of cells.keys()) if (key.startsWith(own)) cells.delete(key);
      for (const key of indexes.keys()) if (key.startsWith(own)) indexes.delete(key);
      tenants.delete(tenantId);
      purges++;
      return new Map(positions);
    },
    async positions(partitions) {
      return new Map(partitions.flatMap((p) => (positions.has(p) ? [[p, positions.get(p) ?? 0] as const] : [])));
    },
    async read(query) {
      return query.buckets.map((bucket): BucketReading => {
        const base = `${query.tenantId}|${query.metric}|${query.resolution}|${bucket}`;
        const breakdown = new Map<string, CellValue>();
        if (query.dimension) {
          for (const value of live(indexes, `${base}|${query.dimension}`)?.values ?? []) {
            const cell = live(cells, `${base}|${query.dimension}|${value}`);
            if (cell) breakdown.set(value, copy(cell.value));
          }
        }
        const total = live(cells, base);
        return { total: total ? copy(total.value) : null, breakdown };
      });
    },
    async tenantStatus(tenantId) {
      return { ...(tenants.get(tenantId) ?? emptyStatus()) };
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
    },
  };

  /** True when the partition has seen every purge; else it has now, and its batch is refused. */
  function acknowledgesPurges(partition: number): boolean {
    if ((acknowledged.get(partition) ?? 0) === purges) return true;
    acknowledged.set(partition, purges);
    return false;
  }

  function applyContent(batch: CellBatch) {
    for (const delta of batch.cells) apply(delta);
    for (const t of batch.tenants) {
      const status = tenants.get(t.tenantId) ?? emptyStatus();
      status.late += t.late;
      status.rejected += t.rejected;
      status.lastEventTime = Math.max(status.lastEventTime ?? t.lastEventTime, t.lastEventTime);
      status.lastReceivedAt = Math.max(status.lastReceivedAt ?? t.lastReceivedAt, t.lastReceivedAt);
      tenants.set(t.tenantId, status);
    }
  }
}

function emptyStatus(): TenantStatus {
  return { lastEventTime: null, lastReceivedAt: null, late: 0, rejected: 0 };
}

function combine(current: CellValue | undefined, delta: CellDelta): CellValue {
  switch (delta.kind) {
    case 'count':
    case 'sum':
      return { kind: delta.kind, amount: (current && 'amount' in current ? current.amount : 0) + delta.amount };
    case 'unique': {
      const sketch = current?.kind === 'unique' ? current.sketch : new HyperLogLog();
      return { kind: 'unique', sketch: sketch.merge(delta.sketch) };
    }
    case 'topk': {
      const top = current?.kind === 'topk' ? current.top : new TopKSummary(TOPK_CELL_CAPACITY);
      for (const [item, count] of delta.items) addCapped(top, item, count);
      return { kind: 'topk', top };
    }
  }
}

/** The Redis script's rule, mirrored: a new item past capacity is counted as `other`. */
function addCapped(top: TopKSummary, item: string, count: number) {
  if (top.counts.has(item) || top.counts.size < TOPK_CELL_CAPACITY) top.counts.set(item, (top.counts.get(item) ?? 0) + count);
  else top.other += count;
}

// Readers get their own copy so merging query results never mutates the store.
function copy(value: CellValue): CellValue {
  if (value.kind === 'unique') return { kind: 'unique', sketch: value.sketch.clone() };
  if (value.kind === 'topk') return { kind: 'topk', top: new TopKSummary(TOPK_CELL_CAPACITY).merge(value.top) };
  return { ...value };
}
