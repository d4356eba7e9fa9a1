/**
 * What the per-client rate limit costs per request in the app process, store alone: the Redis
 * store `@fastify/rate-limit` ships (one script round trip per request, as before ADR-0091) and the
 * leased store (a round trip per batch), interleaved over several rounds on the same Redis, 32
 * clients in flight, each well under a budget of 1,200. Prints CPU per call from process.cpuUsage()
 * and the script calls each made (INFO commandstats, so other users of a shared Redis add noise).
 *
 *   npm run bench:rate-limit-store      (BENCH_CALLS=20000 per run, BENCH_ROUNDS=4)
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { createRedisClient, scanKeys, unlinkKeys } from '../packages/platform/src/redis/redis-client.ts';
import { leasedRateLimitStore } from '../packages/platform/src/http/leased-rate-limit-store.ts';

const calls = Number(process.env.BENCH_CALLS ?? 20_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 4);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const max = 1_200;
const inFlight = 32;
/** Clients taking turns: each has about one request in flight, and `calls / clients` in a run. */
const clients = 400;

const redis = createRedisClient(redisUrl);
const prefix = `bench:rate-limit:${randomUUID()}:`;
// The plugin's own store, untyped: what every limited request cost before the leased store.
const PluginRedisStore = createRequire(import.meta.url)('@fastify/rate-limit/store/RedisStore.js') as new (continueExceeding: boolean, backoff: boolean, redis: unknown, key: string) => FastifyRateLimitStore;
const Leased = leasedRateLimitStore(redis, `${prefix}leased:`);
const stores: Array<[string, FastifyRateLimitStore]> = [
  ['plugin store (script per request)', new PluginRedisStore(false, false, redis, `${prefix}plugin:`)],
  ['leased store', new Leased({})],
];

const scriptCalls = async () => {
  const stats = await redis.info('commandstats');
  return [...stats.matchAll(/cmdstat_eval(?:sha)?:calls=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
};

async function run(store: FastifyRateLimitStore, round: number) {
  let sent = 0;
  const scriptsBefore = await scriptCalls();
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (sent < calls) {
        const client = `ip:${round}:${sent++ % clients}`;
        await new Promise((resolve, reject) => store.incr(client, (error, result) => (error ? reject(error) : resolve(result)), 60_000, max));
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { cpuUs: (used.user + used.system) / calls, wallMs: performance.now() - started, scripts: (await scriptCalls()) - scriptsBefore };
}

try {
  for (const [, store] of stores) await run(store, -1); // warm-up
  console.log('| store | round | CPU µs per call | calls/s | script calls per 1,000 |\n|---|---|---:|---:|---:|');
  for (let round = 1; round <= rounds; round++) {
    for (const [name, store] of stores) {
      const r = await run(store, round);
      console.log(`| ${name} | ${round} | ${r.cpuUs.toFixed(2)} | ${Math.round(calls / (r.wallMs / 1000))} | ${((r.scripts / calls) * 1000).toFixed(0)} |`);
    }
  }
  console.log(`\n${new Date().toISOString()}  ${calls} calls per run, ${inFlight} in flight, budget ${max}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  for await (const keys of scanKeys(redis, `${prefix}*`)) await unlinkKeys(redis, keys);
  await redis.quit();
}
