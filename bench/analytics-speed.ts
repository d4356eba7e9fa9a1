/**
 * Events per second through the speed layer into each store: `npm run bench:speed`.
 * Not a test: the figure depends on the machine and its load.
 *
 * Two workloads per store: one tenant (all events on one of the 4 partitions, as in
 * `bench:ingest`) and 8 tenants (spread over the partitions). Events are the ingest benchmark's:
 * track events from IDENTITIES (default 5,000) distinct anonymous ids: the sketches' hash runs
 * once per identity and event, so IDENTITIES=EVENTS is the case where every event brings a new
 * person. EVENTS (default 100,000) are appended to an
 * in-memory log first, then the speed layer drains them; CPU is this process's while draining,
 * from /proc, per 1,000 events (Redis's own CPU not included).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { AnalyticsEvent } from '../analytics/src/contracts/event.ts';
import { createMemoryAggregateStore } from '../analytics/src/speed/memory-aggregate-store.ts';
import { createRedisAggregateStore } from '../analytics/src/speed/redis-aggregate-store.ts';
import type { AggregateStore } from '../analytics/src/contracts/aggregate-store.ts';
import { startSpeedLayer } from '../analytics/src/speed/speed-layer.ts';
import { createMemoryEventLog } from '../analytics/test/speed/memory-event-log.ts';
import { until } from '../analytics/test/speed/until.ts';
import { cpuMsPerThousand, cpuSeconds } from './lib/proc-cpu.ts';

const EVENTS = Number(process.env.EVENTS ?? 100_000);
const IDENTITIES = Number(process.env.IDENTITIES ?? 5000);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PARTITIONS = 4;

function trackEvent(tenantId: string, i: number, at: string): AnalyticsEvent {
  return {
    tenantId,
    messageId: `m-${i}`,
    type: 'track',
    event: 'Bench Event',
    anonymousId: `a${i % IDENTITIES}`,
    timestamp: at,
    receivedAt: at,
    properties: { plan: 'bench', value: 1 },
    context: { page: { path: '/bench' } },
    isBot: false,
  };
}

async function run(name: string, store: AggregateStore, tenants: string[]) {
  const log = createMemoryEventLog(PARTITIONS);
  const at = new Date(Date.now() - 30_000).toISOString();
  await log.append(Array.from({ length: EVENTS }, (_, i) => ({ key: tenants[i % tenants.length]!, value: trackEvent(tenants[i % tenants.length]!, i, at) })));
  const cpuBefore = cpuSeconds();
  let calls = 0;
  const counted: AggregateStore = { ...store, applyBatch: (b) => (calls++, store.applyBatch(b)) };
  const started = performance.now();
  const speed = startSpeedLayer({ log, store: counted, logger: pino({ level: 'silent' }), flushMs: 250 });
  const all = Array.from({ length: PARTITIONS }, (_, p) => p);
  await until('drain', async () => [...(await store.positions(all)).values()].reduce((a, b) => a + b, 0) === EVENTS, 300_000);
  const ms = performance.now() - started;
  const cpuAfter = cpuSeconds();
  await speed.stop();
  const row = `| ${name} | ${tenants.length} | ${EVENTS} | ${ms.toFixed(0)} | ${Math.round((EVENTS / ms) * 1000)} | ${cpuMsPerThousand(cpuBefore, cpuAfter, EVENTS)} | ${calls} |`;
  console.log(row);
  return row;
}

const one = [`t-${randomUUID()}`];
const eight = Array.from({ length: 8 }, (_, i) => `t${i}-${randomUUID()}`);
console.log(`\n${new Date().toISOString()}  speed layer, ${PARTITIONS} partitions, ${EVENTS} events per run, ${IDENTITIES} distinct ids`);
console.log('| store | tenants | events | ms | events/s | CPU ms per 1,000 events | applyBatch calls |');
console.log('|---|---|---|---|---|---|---|');
await run('in-process', createMemoryAggregateStore(), one);
await run('in-process', createMemoryAggregateStore(), eight);
// A fresh key prefix per run: positions are stored with the aggregates, so runs must not share them.
const prefixes: string[] = [];
for (const tenants of [one, eight]) {
  const prefix = `bench:speed:${randomUUID()}:`;
  prefixes.push(prefix);
  const redisStore = createRedisAggregateStore(REDIS_URL, { prefix });
  await run('redis', redisStore, tenants);
  await redisStore.close();
}
const client = new Redis(REDIS_URL);
for (const prefix of prefixes) {
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
}
await client.quit();
