import { createRedisClient } from '@shop/platform';
import { DEFAULT_DRIFT_RETENTION_MS, compareDrift, type DriftRecord, type DriftStore } from './drift-store.ts';

// Drops records whose bucket is before the horizon, from the index and the hash together.
const TRIM = `
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
for _, member in ipairs(old) do redis.call('HDEL', KEYS[2], member) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
return #old`;

/**
 * Drift records in Redis, per tenant: a hash `<prefix>{tenant}:drift` of `metric|bucket` → JSON
 * and a sorted set `<prefix>{tenant}:drift:index` of the same members scored by bucket, so a
 * range read is one ZRANGEBYSCORE plus one HMGET. The hash tag keeps a tenant's keys on one
 * Redis Cluster slot.
 */
export function createRedisDriftStore(url: string, options: { prefix: string; retentionMs?: number; now?: () => number }): DriftStore {
  const redis = createRedisClient(url); // errors surface through the failing command
  const retentionMs = options.retentionMs ?? DEFAULT_DRIFT_RETENTION_MS;
  const now = options.now ?? Date.now;
  const keys = (tenantId: string) => ({ records: `${options.prefix}{${tenantId}}:drift`, index: `${options.prefix}{${tenantId}}:drift:index` });
  const member = (r: { metric: string; bucket: number }) => `${r.metric}|${r.bucket}`;

  return {
    async save(records) {
      const byTenant = new Map<string, DriftRecord[]>();
      for (const r of records) byTenant.set(r.tenantId, [...(byTenant.get(r.tenantId) ?? []), r]);
      const horizon = now() - retentionMs;
      for (const [tenantId, rows] of byTenant) {
        const k = keys(tenantId);
        const multi = redis.multi();
        multi.hset(k.records, ...rows.flatMap((r) => [member(r), JSON.stringify(r)]));
        multi.zadd(k.index, ...rows.flatMap((r) => [r.bucket, member(r)]));
        multi.eval(TRIM, 2, k.index, k.records, horizon);
        const results = await multi.exec();
        const failed = results?.find(([error]) => error);
        if (failed?.[0]) throw failed[0];
      }
    },
    async list(tenantId, query) {
      const k = keys(tenantId);
      const from = Math.max(query.from, now() - retentionMs);
      if (from >= query.to) return [];
      const members = await redis.zrangebyscore(k.index, from, `(${query.to}`);
      if (members.length === 0) return [];
      const rows = await redis.hmget(k.records, ...members);
      return rows
        .flatMap((json) => (json ? [JSON.parse(json) as DriftRecord] : []))
        .filter((r) => !query.flaggedOnly || r.flagged)
        .sort(compareDrift);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
