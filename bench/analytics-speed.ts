/**
 * Events per second through the speed layer into each store: `npx tsx bench/analytics-speed.ts`.
 * Not a test: the figure depends on the machine and its load.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { createMemoryAggregateStore } from '../analytics/src/speed/memory-aggregate-store.ts';
import { createRedisAggregateStore } from '../analytics/src/speed/redis-aggregate-store.ts';
import type { AggregateStore } from '../analytics/src/contracts/aggregate-store.ts';
import { startSpeedLayer } from '../analytics/src/speed/speed-layer.ts';
import { pageView } from '../analytics/test/speed/events.fixture.ts';
import { createMemoryEventLog } from '../analytics/test/speed/memory-event-log.ts';
import { until } from '../analytics/test/speed/until.ts';

const EVENTS = Number(process.env.EVENTS ?? 50_000);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function run(name: string, store: AggregateStore) {
  const log = createMemoryEventLog(4);
  const at = new Date(Date.now() - 30_000).toISOString();
  const tenants = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  await log.append(Array.from({ length: EVENTS }, (_, i) => ({ key: tenants[i % 8]!, value: pageView(tenants[i % 8]!, at) })));
  let calls = 0;
  const counted: AggregateStore = { ...store, applyBatch: (b) => (calls++, store.applyBatch(b)) };
  const started = performance.now();
  const speed = startSpeedLayer({ log, store: counted, logger: pino({ level: 'silent' }), flushMs: 250 });
  await until('drain', async () => [...(await store.positions([0, 1, 2, 3])).values()].reduce((a, b) => a + b, 0) === EVENTS, 300_000);
  const ms = performance.now() - started;
  await speed.stop();
  console.log(`${name}: ${EVENTS} events in ${ms.toFixed(0)} ms = ${Math.round((EVENTS / ms) * 1000)} events/s, ${calls} applyBatch calls`);
}

await run('in-process', createMemoryAggregateStore());
const prefix = `bench:speed:${randomUUID()}:`;
const redisStore = createRedisAggregateStore(REDIS_URL, { prefix });
await run('redis', redisStore);
await redisStore.close();
const client = new Redis(REDIS_URL);
const keys = await client.keys(`${prefix}*`);
if (keys.length > 0) await client.del(...keys);
await client.quit();
