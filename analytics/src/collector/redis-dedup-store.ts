import { createRedisClient } from '@shop/platform';
import type { ClaimState, DedupStore } from './dedup-store.ts';

// SET NX per id, reporting what was there instead; one round trip per batch.
const CLAIM = `
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('SET', key, 'p', 'NX', 'PX', ARGV[1]) then
    out[i] = 'new'
  else
    local v = redis.call('GET', key)
    if v == 'c' then out[i] = 'committed' else out[i] = 'pending' end
  end
end
return out`;

// Release only what is still pending: never forget a committed id.
const RELEASE = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == 'p' then redis.call('DEL', key) end
end
return 0`;

/**
 * Dedup marks in Redis, shared by every collector instance: `<prefix><tenant>:<messageId>`
 * holding `p` (pending) or `c` (committed) with a TTL. Keys of one call go in one script or
 * transaction, which a Redis Cluster accepts because the `{tenant}` hash tag puts them on one slot.
 */
export function createRedisDedupStore(url: string, prefix: string): DedupStore {
  const redis = createRedisClient(url); // errors surface through the failing command and /ready
  const keys = (tenantId: string, ids: string[]) => ids.map((id) => `${prefix}{${tenantId}}:${id}`);
  return {
    async claim(tenantId, messageIds, pendingMs) {
      if (messageIds.length === 0) return [];
      const out = (await redis.eval(CLAIM, messageIds.length, ...keys(tenantId, messageIds), Math.max(1, Math.round(pendingMs)))) as ClaimState[];
      return out;
    },
    async commit(tenantId, messageIds, windowMs) {
      if (messageIds.length === 0) return;
      const multi = redis.multi();
      for (const key of keys(tenantId, messageIds)) multi.set(key, 'c', 'PX', Math.max(1, Math.round(windowMs)));
      await multi.exec();
    },
    async release(tenantId, messageIds) {
      if (messageIds.length === 0) return;
      await redis.eval(RELEASE, messageIds.length, ...keys(tenantId, messageIds));
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
