import { Redis } from 'ioredis';
import { HyperLogLog } from '../sketches/hyperloglog.ts';
import { TopKSummary } from '../sketches/top-k.ts';
import {
  DEFAULT_RETENTION,
  TOPK_CELL_CAPACITY,
  expiresAt,
  type AggregateStore,
  type AggregateStoreOptions,
  type BatchOutcome,
  type BucketReading,
  type CellDelta,
  type CellQuery,
  type CellValue,
  type PartitionBatch,
} from './aggregate-store.ts';

/*
 * One script applies a whole flush: per partition group it checks the stored position, then
 * writes every cell, the tenant tallies and the new position, or nothing. Redis runs a script
 * atomically, so there is no state in which aggregates are written but the position is not.
 * Numbers travel as strings: Lua would print large ones with 14 significant digits.
 *
 * Ops: n = INCRBY (count/sum), u = register max (HyperLogLog, 1 byte per register at its
 * index), k = top-K hash with a capacity (new items past it go to field "" = other),
 * i = breakdown index set, s = tenant status.
 */
const APPLY_BATCH = `
local batch = cjson.decode(ARGV[1])
local out = {}
for g = 1, #batch.groups do
  local group = batch.groups[g]
  local stored = redis.call('HGET', batch.pos, group.p)
  if stored and tonumber(group.to) <= tonumber(stored) then
    out[g] = 'duplicate'
  elseif stored and tonumber(group.from) ~= tonumber(stored) then
    out[g] = 'conflict'
  else
    for o = 1, #group.ops do
      local op = group.ops[o]
      if op.t == 'n' then
        redis.call('INCRBY', op.k, op.a)
        redis.call('PEXPIREAT', op.k, op.x)
      elseif op.t == 'u' then
        local r = op.r
        for j = 1, #r, 2 do
          local current = redis.call('GETRANGE', op.k, r[j], r[j])
          if current == '' or string.byte(current) < r[j + 1] then
            redis.call('SETRANGE', op.k, r[j], string.char(r[j + 1]))
          end
        end
        redis.call('PEXPIREAT', op.k, op.x)
      elseif op.t == 'k' then
        local items = op.i
        local size = redis.call('HLEN', op.k) - redis.call('HEXISTS', op.k, '')
        for j = 1, #items, 2 do
          if redis.call('HEXISTS', op.k, items[j]) == 1 or size < tonumber(op.c) then
            if redis.call('HINCRBY', op.k, items[j], items[j + 1]) == tonumber(items[j + 1]) then size = size + 1 end
          else
            redis.call('HINCRBY', op.k, '', items[j + 1])
          end
        end
        redis.call('PEXPIREAT', op.k, op.x)
      elseif op.t == 'i' then
        redis.call('SADD', op.k, op.m)
        redis.call('PEXPIREAT', op.k, op.x)
      elseif op.t == 's' then
        redis.call('HINCRBY', op.k, 'late', op.late)
        redis.call('HINCRBY', op.k, 'rejected', op.rejected)
        for _, field in ipairs({ 'lastEventTime', 'lastReceivedAt' }) do
          local current = redis.call('HGET', op.k, field)
          if not current or tonumber(current) < tonumber(op[field]) then redis.call('HSET', op.k, field, op[field]) end
        end
      end
    end
    redis.call('HSET', batch.pos, group.p, group.to)
    out[g] = 'applied'
  end
end
return out`;

type Op =
  | { t: 'n'; k: string; a: string; x: string }
  | { t: 'u'; k: string; r: number[]; x: string }
  | { t: 'k'; k: string; i: (string | number)[]; c: string; x: string }
  | { t: 'i'; k: string; m: string; x: string }
  | { t: 's'; k: string; late: string; rejected: string; lastEventTime: string; lastReceivedAt: string };

/**
 * The aggregate store on Redis. Keys (all under `prefix`):
 * `c:{tenant}:{metric}:{resolution}:{bucket}:{series}` one cell (series `_` = total, else `dimension=value`),
 * `i:{tenant}:{metric}:{resolution}:{bucket}:{dimension}` the breakdown values seen in a bucket,
 * `t:{tenant}` tallies and freshness, `p:{consumer}` positions per partition.
 * Cells and indexes expire at bucket start + retention (PEXPIREAT), so "alive" means the same
 * thing here, in memory and in the speed layer's lateness rule.
 */
export function createRedisAggregateStore(url: string, options: AggregateStoreOptions & { prefix?: string } = {}): AggregateStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined); // surfaced by the failing command and by /ready
  redis.defineCommand('applyAggregateBatch', { numberOfKeys: 0, lua: APPLY_BATCH });
  const prefix = options.prefix ?? 'analytics:';
  const retention = options.retention ?? DEFAULT_RETENTION;
  const positionsKey = `${prefix}p:${options.consumer ?? 'speed'}`;
  const bucketBase = (tenantId: string, metric: string, resolution: string, bucket: number) => `${tenantId}:${metric}:${resolution}:${bucket}`;
  const cellKey = (base: string, series: string) => `${prefix}c:${base}:${series}`;

  const opsFor = (batch: PartitionBatch): Op[] => {
    const ops: Op[] = [];
    for (const delta of batch.cells) {
      const x = String(expiresAt(delta, retention));
      const base = bucketBase(delta.tenantId, delta.metric, delta.resolution, delta.bucket);
      const k = cellKey(base, delta.series ? `${delta.series.dimension}=${delta.series.value}` : '_');
      if (delta.series) ops.push({ t: 'i', k: `${prefix}i:${base}:${delta.series.dimension}`, m: delta.series.value, x });
      ops.push(cellOp(delta, k, x));
    }
    for (const t of batch.tenants) {
      ops.push({
        t: 's',
        k: `${prefix}t:${t.tenantId}`,
        late: String(t.late),
        rejected: String(t.rejected),
        lastEventTime: String(t.lastEventTime),
        lastReceivedAt: String(t.lastReceivedAt),
      });
    }
    return ops;
  };

  return {
    retention,
    async applyBatch(batches) {
      if (batches.length === 0) return [];
      const payload = JSON.stringify({
        pos: positionsKey,
        groups: batches.map((b) => ({ p: String(b.partition), from: String(b.from), to: String(b.to), ops: opsFor(b) })),
      });
      const run = (redis as unknown as { applyAggregateBatch(payload: string): Promise<BatchOutcome[]> }).applyAggregateBatch;
      return run.call(redis, payload);
    },
    async positions(partitions) {
      if (partitions.length === 0) return new Map();
      const values = await redis.hmget(positionsKey, ...partitions.map(String));
      return new Map(partitions.flatMap((p, i) => (values[i] == null ? [] : [[p, Number(values[i])] as const])));
    },
    read: (query) => readCells(redis, query, (base, series) => cellKey(base, series), (base, dim) => `${prefix}i:${base}:${dim}`, bucketBase),
    async tenantStatus(tenantId) {
      const h = await redis.hgetall(`${prefix}t:${tenantId}`);
      return {
        lastEventTime: h.lastEventTime ? Number(h.lastEventTime) : null,
        lastReceivedAt: h.lastReceivedAt ? Number(h.lastReceivedAt) : null,
        late: Number(h.late ?? 0),
        rejected: Number(h.rejected ?? 0),
      };
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

function cellOp(delta: CellDelta, k: string, x: string): Op {
  switch (delta.kind) {
    case 'count':
    case 'sum':
      return { t: 'n', k, a: String(delta.amount), x };
    case 'unique':
      return { t: 'u', k, r: [...delta.registers].flat(), x };
    case 'topk':
      return { t: 'k', k, i: [...delta.items].flatMap(([item, n]) => [item, String(n)]), c: String(TOPK_CELL_CAPACITY), x };
  }
}

async function readCells(
  redis: Redis,
  query: CellQuery,
  cellKey: (base: string, series: string) => string,
  indexKey: (base: string, dimension: string) => string,
  bucketBase: (tenantId: string, metric: string, resolution: string, bucket: number) => string,
): Promise<BucketReading[]> {
  const bases = query.buckets.map((b) => bucketBase(query.tenantId, query.metric, query.resolution, b));
  let members: string[][] = bases.map(() => []);
  if (query.dimension) {
    const dimension = query.dimension;
    const pipeline = redis.pipeline();
    for (const base of bases) pipeline.smembers(indexKey(base, dimension));
    members = ((await pipeline.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return value as string[];
    });
  }
  const pipeline = redis.pipeline();
  const fetch = (key: string) => (query.kind === 'topk' ? pipeline.hgetall(key) : query.kind === 'unique' ? pipeline.getBuffer(key) : pipeline.get(key));
  bases.forEach((base, i) => {
    fetch(cellKey(base, '_'));
    for (const value of members[i] ?? []) fetch(cellKey(base, `${query.dimension}=${value}`));
  });
  const results = ((await pipeline.exec()) ?? []).map(([error, value]) => {
    if (error) throw error;
    return decode(query.kind, value);
  });
  let at = 0;
  return bases.map((_, i) => {
    const total = results[at++] ?? null;
    const breakdown = new Map<string, CellValue>();
    for (const value of members[i] ?? []) {
      const cell = results[at++];
      if (cell) breakdown.set(value, cell);
    }
    return { total, breakdown };
  });
}

function decode(kind: CellQuery['kind'], raw: unknown): CellValue | null {
  if (raw === null || raw === undefined) return null;
  if (kind === 'unique') return raw instanceof Buffer ? { kind, sketch: new HyperLogLog(raw) } : null;
  if (kind === 'topk') {
    const hash = raw as Record<string, string>;
    if (Object.keys(hash).length === 0) return null;
    const top = new TopKSummary(TOPK_CELL_CAPACITY);
    for (const [item, count] of Object.entries(hash)) {
      if (item === '') top.other += Number(count);
      else top.counts.set(item, Number(count));
    }
    return { kind, top };
  }
  return { kind, amount: Number(raw) };
}
