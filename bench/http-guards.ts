/**
 * What the HTTP guards (security headers, per-client rate limit, load shedding, storable-text
 * check) cost per request: the same trivial JSON route on the house server without guards, with
 * guards counting in-process, and with guards counting in Redis, interleaved over several rounds
 * so a machine whose load changes affects all three alike. The load generator runs in this
 * process (loopback), so absolute figures are low; compare the rows (and their CPU per request).
 *
 *   npx tsx bench/http-guards.ts      (BENCH_SECONDS=5 per run, BENCH_ROUNDS=2, BENCH_CONCURRENCY=16)
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createMetricsRegistry, createServer, type TrafficGuardOptions } from '@shop/platform';
import { printResults, runLoad, type LoadResult } from './lib/load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const guards = (redis?: string): TrafficGuardOptions => ({
  // Far beyond what one generator sends: every request is counted, none refused.
  rateLimit: { max: 1_000_000_000, windowSeconds: 60, prefix: `bench:${randomUUID()}:`, ...(redis ? { redisUrl: redis } : {}) },
  maxEventLoopDelayMs: 60_000,
  hsts: false,
});

async function start(variant: TrafficGuardOptions | undefined) {
  const app = await createServer({ logger: pino({ level: 'silent' }), title: 'bench', description: 'bench', metrics: createMetricsRegistry('bench'), ...(variant ? { guards: variant } : {}) });
  app.post('/items', { schema: { summary: 'echo' } }, async (request) => ({ ok: true, got: request.body }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { app, base: `http://127.0.0.1:${port}` };
}

const variants: Array<[string, TrafficGuardOptions | undefined]> = [
  ['no guards', undefined],
  ['guards, in-process counters', guards()],
  ['guards, Redis counters', guards(redisUrl)],
];
const results: LoadResult[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const [name, variant] of variants) {
    const { app, base } = await start(variant);
    try {
      const cpu = process.cpuUsage();
      const result = await runLoad({
          name: `${name} (round ${round})`,
          baseUrl: base,
          concurrency,
          seconds,
          next: () => ({ method: 'POST', path: '/items', body: { name: 'Zoë', address: { city: 'Paris', lines: ['1 Rue X', 'Bât. B'] } } }),
        });
      const used = process.cpuUsage(cpu);
      // Server and load generator share the process: the rows differ by the server's cost only.
      console.log(`${result.name}: process CPU ${((used.user + used.system) / 1000 / result.requests).toFixed(3)} ms per request`);
      results.push(result);
    } finally {
      await app.close();
    }
  }
}
console.log(`\n${new Date().toISOString()}  concurrency ${concurrency}, ${seconds}s per run, ${rounds} rounds, one process (server and load generator)`);
printResults(results);
