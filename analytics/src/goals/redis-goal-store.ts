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
 * touches that one key, so it lives in one cluster slot. A change is published on
 * `<prefix>goals:changed` (the tenant id), so other processes' goal caches read it at once rather
 * than at their next refresh; a lost message only delays the change to that refresh.
 */
export function createRedisGoalStore(url: string, prefix: string): GoalStore {
  const redis = createRedisClient(url); // a single Redis or a cluster: every command touches one key
  const key = (tenantId: string) => `${prefix}{${tenantId}}:goals`;
  const channel = `${prefix}goals:changed`;
  const announce = async (tenantId: string, changed: boolean) => {
    if (changed) await redis.publish(channel, tenantId);
    return changed;
  };
  return {
    async list(tenantId) {
      const all = Object.values(await redis.hgetall(key(tenantId))).map((raw) => JSON.parse(raw) as Goal);
      return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async add(goal, max) {
      return announce(goal.tenantId, (await redis.eval(ADD, 1, key(goal.tenantId), goal.id, JSON.stringify(goal), String(max))) === 1);
    },
    async remove(tenantId, id) {
      return announce(tenantId, (await redis.hdel(key(tenantId), id)) === 1);
    },
    async subscribe(onChange) {
      // A subscribed connection takes no other command: its own client, closed with the subscription.
      const subscriber = redis.duplicate();
      // Reconnects on its own (and subscribes again); what it misses meanwhile waits for the periodic read.
      subscriber.on('error', () => undefined);
      subscriber.on('message', (from: string, tenantId: string) => {
        if (from === channel) onChange(tenantId);
      });
      await subscriber.subscribe(channel);
      return { close: async () => void (await subscriber.quit()) };
    },
    async close() {
      await redis.quit();
    },
  };
}
