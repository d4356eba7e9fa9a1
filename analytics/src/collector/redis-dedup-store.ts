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

// Every id of an append committed in one command: a MULTI of one SET per id made the client
// build and parse a hundred commands per request of a hundred events.
const COMMIT = `
for _, key in ipairs(KEYS) do redis.call('SET', key, 'c', 'PX', ARGV[1]) end
return 0`;

/** Each takes the number of keys, the keys, then its ARGV (the TTL where it has one). */
interface Scripted {
  claimDedup(...args: (string | number)[]): Promise<ClaimState[]>;
  commitDedup(...args: (string | number)[]): Promise<number>;
  releaseDedup(...args: (string | number)[]): Promise<number>;
}

/**
 * Dedup marks in Redis, shared by every collector instance: `<prefix><tenant>:<messageId>`
 * holding `p` (pending) or `c` (committed) with a TTL. Keys of one call go in one script or
 * transaction, which a Redis Cluster accepts because the `{tenant}` hash tag puts them on one slot.
 */
export function createRedisDedupStore(url: string, prefix: string): DedupStore {
  const redis = createRedisClient(url); // errors surface through the failing command and /ready
  // Sent by hash (EVALSHA), not as script text with every call; each takes as many keys as it is given.
  redis.defineCommand('claimDedup', { lua: CLAIM });
  redis.defineCommand('commitDedup', { lua: COMMIT });
  redis.defineCommand('releaseDedup', { lua: RELEASE });
  const scripted = redis as unknown as Scripted;
  const keys = (tenantId: string, ids: string[]) => ids.map((id) => `${prefix}{${tenantId}}:${id}`);
  return {
    async claim(tenantId, messageIds, pendingMs) {
      if (messageIds.length === 0) return [];
      return scripted.claimDedup(messageIds.length, ...keys(tenantId, messageIds), Math.max(1, Math.round(pendingMs)));
    },
    async commit(tenantId, messageIds, windowMs) {
      if (messageIds.length === 0) return;
      await scripted.commitDedup(messageIds.length, ...keys(tenantId, messageIds), Math.max(1, Math.round(windowMs)));
    },
    async release(tenantId, messageIds) {
      if (messageIds.length === 0) return;
      await scripted.releaseDedup(messageIds.length, ...keys(tenantId, messageIds));
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
