import { randomUUID } from 'node:crypto';
import { deleteRedisKeys, redisEngines } from '@shop/platform/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisGoalStore, watchGoals, type Goal } from '../../src/goals/index.ts';
import { until } from '../scale-out/child-processes.ts';

const redisShapes = await redisEngines();
const prefix = `test:goal-announcements:${randomUUID()}:`;
afterAll(async () => {
  for (const redis of redisShapes) if (redis.available) await deleteRedisKeys(redis.url, `${prefix}*`);
});

const goal = (id: string): Goal => ({ id, tenantId: 'acme', createdAt: '2026-01-01T00:00:00Z', name: `goal ${id}`, kind: 'page', path: '/pricing' });

describe.each(redisShapes.map((redis) => ({ ...redis, skip: !redis.available })))('goal changes announced over Redis ($name)', ({ url, skip }) => {
  it.skipIf(skip)("reach another process's goal cache without waiting for its periodic refresh", async () => {
    const runPrefix = `${prefix}${randomUUID()}:`;
    // Two stores on one Redis: the API instance that changes goals, and a speed process's cache.
    const api = createRedisGoalStore(url, runPrefix);
    const speedSide = createRedisGoalStore(url, runPrefix);
    // An hour between refreshes: only the announcement can bring the change within the test.
    const cache = await watchGoals(speedSide, async () => ['acme'], { everyMs: 3_600_000 });
    try {
      expect(cache.definitionsOf('acme')).toEqual([]);
      expect(await api.add(goal('g1'), 5)).toBe(true);
      await until('the added goal in the other cache', () => cache.definitionsOf('acme').length === 1, 10_000);
      expect(await api.remove('acme', 'g1')).toBe(true);
      await until('the removed goal gone from the other cache', () => cache.definitionsOf('acme').length === 0, 10_000);
    } finally {
      await cache.stop();
      await api.close();
      await speedSide.close();
    }
  });
});
