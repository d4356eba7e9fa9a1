import { createRedisClient, scanKeys, unlinkKeys, type RedisClient } from '@shop/platform';
import { EXACT_LIMIT, HLL_PRECISION, HLL_REGISTERS, HyperLogLog, LEGACY_EXACT_TAG, sketchHeaderHex, TopKSummary } from '../sketches/index.ts';
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
  type CellQuery,
  type CellValue,
} from '../contracts/index.ts';

/*
 * One script applies a whole flush: per partition group it checks the stored position (and that
 * the partition has acknowledged the latest purge), then writes every cell, the tenant tallies
 * and the new position, or nothing. Redis runs a script atomically, so there is no state in which
 * aggregates are written but the position is not. With `cellsOnly` (rebuilds) positions are
 * neither checked nor moved. Numbers travel as strings: Lua would print large ones with 14
 * significant digits.
 *
 * A tenant's cell keys carry its generation (`g:{tenant}`, absent = 0), read here inside the
 * script: a purge bumps the generation in one O(1) step, so every later write and read uses fresh
 * keys at once; `purgeTenant` then deletes the old generation's keys with SCAN + UNLINK.
 *
 * Ops (per tenant, key suffixes after `c:{segment}` / `i:{segment}`): n = INCRBY (count/sum),
 * u = a unique-count sketch (below), k = top-K hash with a capacity (new items past it go to
 * field "" = other), i = breakdown index set; `s` = the tenant's status delta.
 *
 * A unique cell is the sketch format's exact form (header, then sorted 8-byte big-endian hashes)
 * while it has at most EXACT_LIMIT hashes, else bare registers (1 byte per register at its index,
 * the form every cell had before the format had versions, so older cells read and update as
 * registers). An op brings either hashes (ARGV[op.h], sorted, distinct) or register maxima (op.r);
 * hashes join the set by binary search and insertion, and past the limit, or when registers
 * arrive, the set turns into registers; so does a set of format version 2 (SHA-256 hashes, which
 * cannot join xxHash64 ones). Lua compares hashes as two 32-bit numbers (struct), not
 * as strings: Redis orders strings by locale.
 */
const APPLY_BATCH = `
local LIMIT, REGISTERS, TAG = ${EXACT_LIMIT}, ${HLL_REGISTERS}, ${parseInt(sketchHeaderHex('exact', HLL_PRECISION).slice(0, 2), 16)}
local LEGACY = ${LEGACY_EXACT_TAG}
local HEADER = string.char(${[0, 2, 4].map((i) => parseInt(sketchHeaderHex('exact', HLL_PRECISION).slice(i, i + 2), 16)).join(', ')})
local function point(s, i)
  local b1, b2, b3, b4, b5, b6, b7, b8 = string.byte(s, i, i + 7)
  local index, v = b1 * 64 + math.floor(b2 / 4), b2 % 4
  if v >= 2 then return index, 1 elseif v == 1 then return index, 2 end
  local zeros = 2
  for _, b in ipairs({ b3, b4, b5, b6, b7, b8 }) do
    if b ~= 0 then
      while b < 128 do b = b * 2; zeros = zeros + 1 end
      return index, zeros + 1
    end
    zeros = zeros + 8
  end
  return index, zeros + 1
end
local function registers(hashes)
  local r = {}
  for i = 1, REGISTERS do r[i] = 0 end
  for i = 1, #hashes, 8 do
    local index, rank = point(hashes, i)
    if rank > r[index + 1] then r[index + 1] = rank end
  end
  local parts = {}
  for i = 1, REGISTERS, 4096 do parts[#parts + 1] = string.char(unpack(r, i, i + 4095)) end
  return table.concat(parts)
end
local function union(stored, add)
  local n, pieces, from, lo = #stored / 8, {}, 0, 0
  for j = 0, #add / 8 - 1 do
    local h, l = struct.unpack('>I4I4', add, j * 8 + 1)
    local a, b = lo, n
    while a < b do
      local mid = math.floor((a + b) / 2)
      local mh, ml = struct.unpack('>I4I4', stored, mid * 8 + 1)
      if mh < h or (mh == h and ml < l) then a = mid + 1 else b = mid end
    end
    lo = a
    local present = false
    if a < n then
      local mh, ml = struct.unpack('>I4I4', stored, a * 8 + 1)
      present = mh == h and ml == l
    end
    if not present then
      pieces[#pieces + 1] = string.sub(stored, from * 8 + 1, a * 8)
      pieces[#pieces + 1] = string.sub(add, j * 8 + 1, j * 8 + 8)
      from = a
    end
  end
  pieces[#pieces + 1] = string.sub(stored, from * 8 + 1)
  return table.concat(pieces)
end
-- Raises the cell's registers to the ranks each yields, reading the cell once: a GETRANGE per rank
-- was a Redis call each, and once a cell has seen its visitors nearly every rank raises nothing.
-- A few raises are written in place (SETRANGE pads with zeros, as the cell was always grown);
-- many (a new or fast-growing cell) rewrite the string once.
local function raiseAll(k, each)
  local stored = redis.call('GET', k) or ''
  local best, n, top = {}, 0, #stored
  each(function(index, rank)
    if rank > (best[index] or string.byte(stored, index + 1) or 0) then
      if not best[index] then n = n + 1 end
      best[index] = rank
      if index >= top then top = index + 1 end
    end
  end)
  if n == 0 then return end
  if n <= 256 then
    for index, rank in pairs(best) do redis.call('SETRANGE', k, index, string.char(rank)) end
    return
  end
  local r = {}
  for i = 1, top do r[i] = best[i - 1] or string.byte(stored, i) or 0 end
  local parts = {}
  for i = 1, top, 4096 do parts[#parts + 1] = string.char(unpack(r, i, math.min(i + 4095, top))) end
  redis.call('SET', k, table.concat(parts))
end
local batch = cjson.decode(ARGV[1])
-- Keys are built here from batch.pre; they all carry the hash tag of KEYS[1], so on a Redis
-- Cluster they live on the slot the script was sent to.
local pre = batch.pre
local segments = {}
local function segment(id)
  local s = segments[id]
  if not s then
    local g = redis.call('GET', pre .. 'g:' .. id)
    if g and g ~= '0' then s = id .. '~' .. g else s = id end
    segments[id] = s
  end
  return s
end
local purges = batch.cellsOnly and '0' or (redis.call('GET', batch.purges) or '0')
local out = {}
for g = 1, #batch.groups do
  local group = batch.groups[g]
  local verdict = 'applied'
  if not batch.cellsOnly then
    local stored = redis.call('HGET', batch.pos, group.p)
    if stored and tonumber(group.to) <= tonumber(stored) then
      verdict = 'duplicate'
    elseif stored and tonumber(group.from) ~= tonumber(stored) then
      verdict = 'conflict'
    elseif (redis.call('HGET', batch.ack, group.p) or '0') ~= purges then
      redis.call('HSET', batch.ack, group.p, purges)
      verdict = 'conflict'
    end
  end
  if verdict == 'applied' then
    for _, tenant in ipairs(group.tenants) do
      local seg = segment(tenant.id)
      local cells, index = pre .. 'c:' .. seg, pre .. 'i:' .. seg
      for o = 1, #tenant.ops do
        local op = tenant.ops[o]
        if op.t == 'n' then
          local k = cells .. op.k
          redis.call('INCRBY', k, op.a)
          redis.call('PEXPIREAT', k, op.x)
        elseif op.t == 'u' then
          local k, hashes = cells .. op.k, op.h and ARGV[op.h]
          local head = redis.call('GETRANGE', k, 0, 0)
          local exact = head == '' or string.byte(head) == TAG
          -- SHA-256 hashes (format version 2) never join xxHash64 ones: the cell turns into registers.
          local legacy = head ~= '' and string.byte(head) == LEGACY
          if exact and hashes then
            local all = union(head == '' and '' or string.sub(redis.call('GET', k), 4), hashes)
            if #all / 8 > LIMIT then redis.call('SET', k, registers(all)) else redis.call('SET', k, HEADER .. all) end
          else
            if (exact or legacy) and head ~= '' then redis.call('SET', k, registers(string.sub(redis.call('GET', k), 4))) end
            if hashes then
              raiseAll(k, function(raise) for i = 1, #hashes, 8 do raise(point(hashes, i)) end end)
            else
              raiseAll(k, function(raise) for j = 1, #op.r, 2 do raise(op.r[j], op.r[j + 1]) end end)
            end
          end
          redis.call('PEXPIREAT', k, op.x)
        elseif op.t == 'k' then
          local k, items = cells .. op.k, op.i
          local size = redis.call('HLEN', k) - redis.call('HEXISTS', k, '')
          for j = 1, #items, 2 do
            if redis.call('HEXISTS', k, items[j]) == 1 or size < tonumber(op.c) then
              if redis.call('HINCRBY', k, items[j], items[j + 1]) == tonumber(items[j + 1]) then size = size + 1 end
            else
              redis.call('HINCRBY', k, '', items[j + 1])
            end
          end
          redis.call('PEXPIREAT', k, op.x)
        elseif op.t == 'i' then
          local k = index .. op.k
          redis.call('SADD', k, op.m)
          redis.call('PEXPIREAT', k, op.x)
        end
      end
      local s = tenant.s
      if s then
        local k = pre .. 't:' .. tenant.id
        redis.call('HINCRBY', k, 'late', s.late)
        redis.call('HINCRBY', k, 'rejected', s.rejected)
        for _, field in ipairs({ 'lastEventTime', 'lastReceivedAt' }) do
          local current = redis.call('HGET', k, field)
          if not current or tonumber(current) < tonumber(s[field]) then redis.call('HSET', k, field, s[field]) end
        end
      end
    end
    if not batch.cellsOnly then redis.call('HSET', batch.pos, group.p, group.to) end
  end
  out[g] = verdict
end
return out`;

/*
 * The atomic half of a purge: a new generation (so the tenant's old cells are unreachable at once),
 * its status gone, one more purge for every partition to acknowledge, and the positions as of
 * this instant. KEYS: generation, status, positions, purge count.
 */
const PURGE_TENANT = `
local generation = redis.call('INCR', KEYS[1])
redis.call('DEL', KEYS[2])
redis.call('INCR', KEYS[4])
return { generation, redis.call('HGETALL', KEYS[3]) }`;

type Op =
  | { t: 'n'; k: string; a: string; x: string }
  | { t: 'u'; k: string; h?: number; r?: number[]; x: string }
  | { t: 'k'; k: string; i: (string | number)[]; c: string; x: string }
  | { t: 'i'; k: string; m: string; x: string };

interface TenantOps {
  id: string;
  ops: Op[];
  s?: { late: string; rejected: string; lastEventTime: string; lastReceivedAt: string };
}

interface Scripted {
  /** `slot`: any key of the store (it routes the call); `blobs`: ARGV[2...], the hashes of unique ops (binary, which JSON cannot carry). */
  applyAggregateBatch(slot: string, payload: string, ...blobs: Buffer[]): Promise<BatchOutcome[]>;
  purgeAggregateTenant(generation: string, status: string, positions: string, purges: string): Promise<[number, string[]]>;
}

/**
 * The one place this store's key names are made: every key is `<prefix>{speed}:<name>`. A flush is
 * one script that writes cells of many tenants together with partition positions, and a purge
 * reads positions while it fences a tenant; Redis Cluster runs a script only on keys of one slot,
 * so the hash tag `{speed}` keeps all of them on one slot (and so on one master; see
 * docs/adr/0059). A key made anywhere else would miss the tag and fail on a cluster.
 */
export function aggregateKeyBase(prefix: string): string {
  return `${prefix}{speed}:`;
}

/**
 * The aggregate store on Redis. Keys (all under `aggregateKeyBase(prefix)`):
 * `c:{segment}:{metric}:{resolution}:{bucket}:{series}` one cell (series `_` = total, else `dimension=value`),
 * `i:{segment}:{metric}:{resolution}:{bucket}:{dimension}` the breakdown values seen in a bucket,
 * where `segment` is the tenant id, or `{tenant}~{generation}` once the tenant has been purged;
 * `g:{tenant}` the tenant's generation, `t:{tenant}` tallies and freshness,
 * `p:{consumer}` positions per partition, `f:{consumer}` purges so far and `a:{consumer}` the last
 * purge each partition has acknowledged (its first batch after a purge is refused once).
 * Cells and indexes expire at bucket start + retention (PEXPIREAT), so "alive" means the same
 * thing here, in memory and in the speed layer's lateness rule.
 */
export function createRedisAggregateStore(url: string, options: AggregateStoreOptions & { prefix?: string } = {}): AggregateStore {
  const redis = createRedisClient(url); // errors surface through the failing command and /ready
  redis.defineCommand('applyAggregateBatch', { numberOfKeys: 1, lua: APPLY_BATCH });
  redis.defineCommand('purgeAggregateTenant', { numberOfKeys: 4, lua: PURGE_TENANT });
  const scripted = redis as unknown as Scripted;
  const base = aggregateKeyBase(options.prefix ?? 'analytics:');
  const key = (name: string) => `${base}${name}`;
  const retention = options.retention ?? DEFAULT_RETENTION;
  const consumer = options.consumer ?? 'speed';
  const positionsKey = key(`p:${consumer}`);
  const purgesKey = key(`f:${consumer}`);
  const acknowledgedKey = key(`a:${consumer}`);
  const generationKey = (tenantId: string) => key(`g:${tenantId}`);
  const segmentOf = async (tenantId: string) => {
    const generation = await redis.get(generationKey(tenantId));
    return generation && generation !== '0' ? `${tenantId}~${generation}` : tenantId;
  };

  const tenantsOf = (batch: CellBatch, blobs: Buffer[]): TenantOps[] => {
    const byTenant = new Map<string, TenantOps>();
    const of = (id: string) => {
      let tenant = byTenant.get(id);
      if (!tenant) byTenant.set(id, (tenant = { id, ops: [] }));
      return tenant;
    };
    for (const delta of batch.cells) {
      const x = String(expiresAt(delta, retention));
      const base = `:${delta.metric}:${delta.resolution}:${delta.bucket}`;
      const ops = of(delta.tenantId).ops;
      if (delta.series) ops.push({ t: 'i', k: `${base}:${delta.series.dimension}`, m: delta.series.value, x });
      ops.push(cellOp(delta, `${base}:${delta.series ? `${delta.series.dimension}=${delta.series.value}` : '_'}`, x, blobs));
    }
    for (const t of batch.tenants) {
      of(t.tenantId).s = {
        late: String(t.late),
        rejected: String(t.rejected),
        lastEventTime: String(t.lastEventTime),
        lastReceivedAt: String(t.lastReceivedAt),
      };
    }
    return [...byTenant.values()];
  };

  /** SCAN + UNLINK in batches (never KEYS, which blocks Redis for the whole keyspace). */
  const unlinkMatching = async (pattern: string, keep: (key: string) => boolean = () => false) => {
    for await (const keys of scanKeys(redis, pattern)) await unlinkKeys(redis, keys.filter((k) => !keep(k)));
  };

  return {
    retention,
    async applyBatch(batches) {
      if (batches.length === 0) return [];
      const blobs: Buffer[] = [];
      const payload = JSON.stringify({
        pre: base,
        pos: positionsKey,
        purges: purgesKey,
        ack: acknowledgedKey,
        groups: batches.map((b) => ({ p: String(b.partition), from: String(b.from), to: String(b.to), tenants: tenantsOf(b, blobs) })),
      });
      return scripted.applyAggregateBatch(positionsKey, payload, ...blobs);
    },
    async applyCells(batches) {
      if (batches.length === 0) return;
      const blobs: Buffer[] = [];
      const payload = JSON.stringify({ pre: base, cellsOnly: true, groups: batches.map((b) => ({ tenants: tenantsOf(b, blobs) })) });
      await scripted.applyAggregateBatch(positionsKey, payload, ...blobs);
    },
    async positions(partitions) {
      if (partitions.length === 0) return new Map();
      const values = await redis.hmget(positionsKey, ...partitions.map(String));
      return new Map(partitions.flatMap((p, i) => (values[i] == null ? [] : [[p, Number(values[i])] as const])));
    },
    async read(query) {
      const segment = await segmentOf(query.tenantId);
      return readCells(redis, query, (cell, series) => key(`c:${segment}${cell}:${series}`), (cell, dim) => key(`i:${segment}${cell}:${dim}`));
    },
    async tenantStatus(tenantId) {
      const h = await redis.hgetall(key(`t:${tenantId}`));
      return {
        lastEventTime: h.lastEventTime ? Number(h.lastEventTime) : null,
        lastReceivedAt: h.lastReceivedAt ? Number(h.lastReceivedAt) : null,
        late: Number(h.late ?? 0),
        rejected: Number(h.rejected ?? 0),
      };
    },
    async clear() {
      // Only this store's key classes: other parts of analytics share the prefix (dedup:, rate:, drift).
      await unlinkMatching(`${globEscape(base)}[citg]:*`);
      await redis.unlink(positionsKey, purgesKey, acknowledgedKey);
    },
    async purgeTenant(tenantId) {
      const [generation, flat] = await scripted.purgeAggregateTenant(generationKey(tenantId), key(`t:${tenantId}`), positionsKey, purgesKey);
      // Erasure means gone, not unreachable: delete every older generation's keys now. Keys of the
      // new generation (or a later one, should another purge run meanwhile) are kept.
      const pattern = `${globEscape(base)}[ci]:${globEscape(tenantId)}[:~]*`;
      const cut = base.length + 2 + tenantId.length;
      await unlinkMatching(pattern, (key) => generationOfKey(key, cut) >= generation);
      const positions = new Map<number, number>();
      for (let i = 0; i < flat.length; i += 2) positions.set(Number(flat[i]), Number(flat[i + 1]));
      return positions;
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** The generation in a cell or index key, given where the tenant id ends: `:` = 0, `~{n}:` = n. */
function generationOfKey(key: string, tenantEnd: number): number {
  if (key[tenantEnd] !== '~') return 0;
  return Number(key.slice(tenantEnd + 1, key.indexOf(':', tenantEnd)));
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function cellOp(delta: CellDelta, k: string, x: string, blobs: Buffer[]): Op {
  switch (delta.kind) {
    case 'count':
    case 'sum':
      return { t: 'n', k, a: String(delta.amount), x };
    case 'unique': {
      const hashes = delta.sketch.exactHashes();
      if (hashes) return { t: 'u', k, h: blobs.push(Buffer.from(hashes.buffer, hashes.byteOffset, hashes.byteLength)) + 1, x };
      const r: number[] = [];
      delta.sketch.registers.forEach((rank, index) => {
        if (rank > 0) r.push(index, rank);
      });
      return { t: 'u', k, r, x };
    }
    case 'topk':
      return { t: 'k', k, i: [...delta.items].flatMap(([item, n]) => [item, String(n)]), c: String(TOPK_CELL_CAPACITY), x };
  }
}

async function readCells(
  redis: RedisClient,
  query: CellQuery,
  cellKey: (base: string, series: string) => string,
  indexKey: (base: string, dimension: string) => string,
): Promise<BucketReading[]> {
  const bases = query.buckets.map((b) => `:${query.metric}:${query.resolution}:${b}`);
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
  if (kind === 'unique') return raw instanceof Buffer ? { kind, sketch: HyperLogLog.fromStored(raw, 'registers') } : null;
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
