import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteRedisKeys, redisEngines } from '@shop/platform/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileGoalStore, createRedisGoalStore, type Goal, type GoalStore } from '../../src/goals/index.ts';

const redisShapes = await redisEngines();
const prefix = `test:goals:${randomUUID()}:`;
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  for (const redis of redisShapes) if (redis.available) await deleteRedisKeys(redis.url, `${prefix}*`);
});

const goal = (tenantId: string, id: string, at: string): Goal => ({ id, tenantId, createdAt: at, name: `goal ${id}`, kind: 'event', event: 'Signed Up', properties: { plan: 'pro' } });

const adapters: Array<{ name: string; skip: boolean; open: () => Promise<GoalStore> }> = [
  {
    name: 'JSON file',
    skip: false,
    open: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'goals-'));
      dirs.push(dir);
      return createFileGoalStore(join(dir, 'goals.json'));
    },
  },
  ...redisShapes.map((redis) => ({ name: redis.name, skip: !redis.available, open: async () => createRedisGoalStore(redis.url, `${prefix}${randomUUID()}:`) })),
];

describe.each(adapters)('goal store contract ($name)', ({ skip, open }) => {
  it.skipIf(skip)('keeps each tenant its own goals in creation order, removes one by id', async () => {
    const store = await open();
    expect(await store.add(goal('acme', 'b', '2026-01-01T00:00:01Z'), 5)).toBe(true);
    expect(await store.add(goal('acme', 'a', '2026-01-01T00:00:02Z'), 5)).toBe(true);
    expect(await store.add(goal('globex', 'c', '2026-01-01T00:00:03Z'), 5)).toBe(true);
    expect((await store.list('acme')).map((g) => g.id)).toEqual(['b', 'a']);
    expect(await store.list('acme')).toContainEqual(goal('acme', 'a', '2026-01-01T00:00:02Z'));
    expect(await store.remove('globex', 'a')).toBe(false);
    expect(await store.remove('acme', 'a')).toBe(true);
    expect(await store.remove('acme', 'a')).toBe(false);
    expect((await store.list('acme')).map((g) => g.id)).toEqual(['b']);
    expect((await store.list('globex')).map((g) => g.id)).toEqual(['c']);
    await store.close();
  });

  it.skipIf(skip)('refuses goals past the cap, also when added at once', async () => {
    const store = await open();
    const added = await Promise.all(Array.from({ length: 8 }, (_, i) => store.add(goal('acme', `g${i}`, `2026-01-01T00:00:0${i}Z`), 5)));
    expect(added.filter(Boolean)).toHaveLength(5);
    expect(await store.list('acme')).toHaveLength(5);
    await store.close();
  });
});
