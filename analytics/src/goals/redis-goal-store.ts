import { createRedisClient } from '@shop/platform';
import type { Goal } from './goal.ts';
import type { GoalStore } from './goal-store.ts';

// Add under the cap in one step: two API instances adding at once cannot pass it together.
const ADD = `
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

/**
 * Goals in Redis: one hash per tenant, `<prefix>{<tenant>}:goals`, goal id → JSON. Every command
 * touches that one key, so it lives in one cluster slot.
 */
export function createRedisGoalStore(url: string, prefix: string): GoalStore {
  const redis = createRedisClient(url); // a single Redis or a cluster: every command touches one key
  const key = (tenantId: string) => `${prefix}{${tenantId}}:goals`;
  return {
    async list(tenantId) {
      const all = Object.values(await redis.hgetall(key(tenantId))).map((raw) => JSON.parse(raw) as Goal);
      return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async add(goal, max) {
      return (await redis.eval(ADD, 1, key(goal.tenantId), goal.id, JSON.stringify(goal), String(max))) === 1;
    },
    async remove(tenantId, id) {
      return (await redis.hdel(key(tenantId), id)) === 1;
    },
    async close() {
      await redis.quit();
    },
  };
}
