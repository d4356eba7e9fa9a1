import { randomUUID } from 'node:crypto';
import { createRedisClient, type RedisClient } from '@shop/platform';
import { deleteRedisKeys, listRedisKeys, redisEngines } from '@shop/platform/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { HyperLogLog } from '../../src/sketches/index.ts';
import { bucketStart, type CellDelta } from '../../src/contracts/aggregate-store.ts';
import { aggregateStoreContract } from '../support/aggregate-store.contract.ts';
import { legacyExactBytes, registersOf } from '../support/legacy-sketch.ts';
import { createMemoryAggregateStore } from '../../src/speed/memory-aggregate-store.ts';
import { createRedisAggregateStore } from '../../src/speed/redis-aggregate-store.ts';

aggregateStoreContract('in-process', async (options) => {
  let offset = 0;
  const store = createMemoryAggregateStore({ ...options, now: () => Date.now() + offset });
  return { store, advance: async (ms) => void (offset += ms), twin: () => store };
});

const run = `test:agg:${randomUUID()}:`;
for (const redis of await redisEngines()) {
  afterAll(async () => {
    if (redis.available) await deleteRedisKeys(redis.url, `${run}*`);
  });
  aggregateStoreContract(
    redis.name,
    async (options) => {
      const prefix = `${run}${randomUUID()}:`;
      return {
        store: createRedisAggregateStore(redis.url, { ...options, prefix }),
        advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        twin: () => createRedisAggregateStore(redis.url, { ...options, prefix }),
      };
    },
    { skip: !redis.available },
  );

  describe.skipIf(!redis.available)(`${redis.name} aggregate store keys`, () => {
    const bucket = bucketStart(Date.now(), 'minute');
    const cells = (tenantId: string): CellDelta[] => [
      { tenantId, metric: 'pageviews', resolution: 'minute', bucket, series: null, kind: 'count', amount: 1 },
      { tenantId, metric: 'pageviews', resolution: 'minute', bucket, series: { dimension: 'context.page.path', value: '/a' }, kind: 'count', amount: 1 },
    ];
    const keysOf = (_client: RedisClient, pattern: string) => listRedisKeys(redis.url, pattern);

    it("keeps the pre-generation key layout for tenants never purged, and deletes a purged tenant's old keys for real", async () => {
      const prefix = `${run}${randomUUID()}:`;
      const store = createRedisAggregateStore(redis.url, { prefix });
      const client = createRedisClient(redis.url);
      await store.applyBatch([{ partition: 0, from: 0, to: 2, cells: [...cells('victim'), ...cells('victim-2')], tenants: [] }]);
      expect(await keysOf(client, `${prefix}{speed}:[ci]:victim:*`)).toEqual([
        `${prefix}{speed}:c:victim:pageviews:minute:${bucket}:_`,
        `${prefix}{speed}:c:victim:pageviews:minute:${bucket}:context.page.path=/a`,
        `${prefix}{speed}:i:victim:pageviews:minute:${bucket}:context.page.path`,
      ]);
      await store.purgeTenant('victim');
      await store.applyCells([{ cells: cells('victim'), tenants: [] }]);
      await store.purgeTenant('victim');
      await store.applyCells([{ cells: cells('victim'), tenants: [] }]);
      // Only the third generation's keys are left; a tenant whose id extends the victim's is untouched.
      expect(await keysOf(client, `${prefix}{speed}:[ci]:victim*`)).toEqual([
        `${prefix}{speed}:c:victim-2:pageviews:minute:${bucket}:_`,
        `${prefix}{speed}:c:victim-2:pageviews:minute:${bucket}:context.page.path=/a`,
        `${prefix}{speed}:c:victim~2:pageviews:minute:${bucket}:_`,
        `${prefix}{speed}:c:victim~2:pageviews:minute:${bucket}:context.page.path=/a`,
        `${prefix}{speed}:i:victim-2:pageviews:minute:${bucket}:context.page.path`,
        `${prefix}{speed}:i:victim~2:pageviews:minute:${bucket}:context.page.path`,
      ]);
      await store.close();
      await client.quit();
    });

    it('clears only its own key classes and consumer: the prefix is shared with dedup marks and drift records', async () => {
      const prefix = `${run}${randomUUID()}:`;
      const store = createRedisAggregateStore(redis.url, { prefix });
      const neighbour = createRedisAggregateStore(redis.url, { prefix, consumer: 'neighbour' });
      const client = createRedisClient(redis.url);
      await client.set(`${prefix}dedup:{acme}:m1`, '1');
      await client.hset(`${prefix}{acme}:drift`, 'x', '1');
      await store.applyBatch([{ partition: 0, from: 0, to: 2, cells: cells('acme'), tenants: [{ tenantId: 'acme', late: 1, rejected: 0, lastEventTime: 1, lastReceivedAt: 1 }] }]);
      await neighbour.applyBatch([{ partition: 0, from: 0, to: 7, cells: [], tenants: [] }]);
      await store.purgeTenant('acme');
      await store.clear();
      expect(await keysOf(client, `${prefix}*`)).toEqual([`${prefix}dedup:{acme}:m1`, `${prefix}{acme}:drift`, `${prefix}{speed}:p:neighbour`]);
      expect(await neighbour.positions([0])).toEqual(new Map([[0, 7]]));
      await Promise.all([store.close(), neighbour.close(), client.quit()]);
    });

    it('keeps a small unique cell as the tagged sorted hashes, and updates a cell of bare registers (stored before versions) as registers', async () => {
      const prefix = `${run}${randomUUID()}:`;
      const store = createRedisAggregateStore(redis.url, { prefix });
      const client = createRedisClient(redis.url);
      const sketchOf = (values: string[]) => values.reduce((h, v) => h.add(v), new HyperLogLog());
      const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `p${from + i}`);
      const unique = (b: number, values: string[]): CellDelta => ({ tenantId: 'acme', metric: 'unique_users', resolution: 'minute', bucket: b, series: null, kind: 'unique', sketch: sketchOf(values) });
      const key = (b: number) => `${prefix}{speed}:c:acme:unique_users:minute:${b}:_`;
      const read = async (b: number) => {
        const [reading] = await store.read({ tenantId: 'acme', metric: 'unique_users', kind: 'unique', resolution: 'minute', buckets: [b] });
        if (reading?.total?.kind !== 'unique') throw new Error('no unique cell');
        return reading.total.sketch;
      };
      await store.applyCells([{ cells: [unique(bucket, ids(0, 20)), unique(bucket, ids(10, 20))], tenants: [] }]);
      const stored = await client.getBuffer(key(bucket));
      expect(stored?.length).toBe(3 + 30 * 8);
      expect(stored?.subarray(3).toString('hex')).toBe(Buffer.from(sketchOf(ids(0, 30)).exactHashes()!).toString('hex'));
      // A cell as the store wrote it before: the bare register array, up to its last non-zero register.
      const older = bucket - 60_000;
      const legacy = sketchOf(ids(100, 50)).registers;
      await client.set(key(older), Buffer.from(legacy.subarray(0, legacy.findLastIndex((r) => r > 0) + 1)), 'PX', 600_000);
      expect((await read(older)).estimate()).toBe(new HyperLogLog(legacy).estimate());
      await store.applyCells([{ cells: [unique(older, ids(0, 30))], tenants: [] }]);
      const merged = await read(older);
      expect(merged.isExact).toBe(false);
      expect(Buffer.from(merged.registers).equals(Buffer.from(sketchOf([...ids(100, 50), ...ids(0, 30)]).registers))).toBe(true);
      await Promise.all([store.close(), client.quit()]);
    });

    it('turns a unique cell of SHA-256 hashes (format version 2) into registers when xxHash64 hashes join it', async () => {
      const prefix = `${run}${randomUUID()}:`;
      const store = createRedisAggregateStore(redis.url, { prefix });
      const client = createRedisClient(redis.url);
      const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `p${from + i}`);
      const key = `${prefix}{speed}:c:acme:unique_users:minute:${bucket}:_`;
      const read = async () => {
        const [reading] = await store.read({ tenantId: 'acme', metric: 'unique_users', kind: 'unique', resolution: 'minute', buckets: [bucket] });
        if (reading?.total?.kind !== 'unique') throw new Error('no unique cell');
        return reading.total.sketch;
      };
      await client.set(key, legacyExactBytes(ids(0, 40)), 'PX', 600_000);
      expect((await read()).estimate()).toBe(40);
      const sketch = ids(20, 40).reduce((h, v) => h.add(v), new HyperLogLog());
      await store.applyCells([{ cells: [{ tenantId: 'acme', metric: 'unique_users', resolution: 'minute', bucket, series: null, kind: 'unique', sketch }], tenants: [] }]);
      const merged = await read();
      expect(merged.isExact).toBe(false);
      expect(Buffer.from(merged.registers).toString('hex')).toBe(Buffer.from(registersOf(ids(0, 40), ids(20, 40))).toString('hex'));
      await Promise.all([store.close(), client.quit()]);
    });
  });
}
