/**
 * Throughput of the Redis adapters on one Redis server and on a three-master Redis Cluster, in
 * the same run, both started here on loopback with the same settings (no persistence):
 *
 * - carts: `compareAndSet` from the last version (the cart write path), 64 concurrent writers over
 *   2,048 carts: one key per command, spread over all masters on the cluster;
 * - dedup: `claim` + `commit` of 20-id batches for 50 tenants (a script per tenant slot);
 * - speed: `applyBatch` flushes of 4 partitions x 5 tenants x 40 cells (one script per flush on
 *   the `{speed}` slot, so one master does all the work on the cluster too).
 *
 * Usage: npm run bench:redis-cluster [-- seconds-per-workload]   (default 5)
 * The client and every server share this machine's cores: compare the ratios, not the absolutes.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startRedisCluster } from '@shop/platform/testing';
import { createRedisStore } from '../commerce/src/shared/kv/index.ts';
import { createRedisDedupStore } from '../analytics/src/collector/redis-dedup-store.ts';
import { bucketStart, type CellDelta, type PartitionBatch } from '../analytics/src/contracts/aggregate-store.ts';
import { createRedisAggregateStore } from '../analytics/src/speed/redis-aggregate-store.ts';

const SECONDS = Number(process.argv[2] ?? 5);

interface Result {
  ops: number;
  seconds: number;
  latencies: number[];
  errors: number;
}

async function drive(concurrency: number, seconds: number, op: (worker: number, i: number) => Promise<unknown>): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < end; i++) {
        const t = performance.now();
        try {
          await op(worker, i);
          latencies.push(performance.now() - t);
        } catch (error) {
          errors++;
          firstError ??= error;
        }
      }
    }),
  );
  if (firstError) console.error(`${errors} errors, the first: ${String(firstError)}`);
  return { ops: latencies.length, seconds: (performance.now() - started) / 1000, latencies, errors };
}

function pct(sorted: number[], p: number): string {
  return (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2);
}

async function workloads(url: string, run: string) {
  const results: Record<string, Result> = {};

  const kv = createRedisStore(url, `${run}kv:`);
  const versions = new Map<number, number>();
  const CARTS = 2048; // a multiple of the 64 writers: each cart has one writer
  for (let i = 0; i < CARTS; i++) {
    await kv.compareAndSet(`cart:${i}`, null, '0', 600);
    versions.set(i, 0);
  }
  results.carts = await drive(64, SECONDS, async (worker, i) => {
    // Each worker owns the carts congruent to it, so compare-and-set never races itself.
    const cart = (worker + 64 * i) % CARTS;
    const from = versions.get(cart)!;
    if (await kv.compareAndSet(`cart:${cart}`, String(from), String(from + 1), 600)) versions.set(cart, from + 1);
    else throw new Error('lost race');
  });
  await kv.close();

  const dedup = createRedisDedupStore(url, `${run}dedup:`);
  results.dedup = await drive(32, SECONDS, async (worker, i) => {
    const tenant = `t${(worker * 7 + i) % 50}`;
    const ids = Array.from({ length: 20 }, (_, j) => `${worker}-${i}-${j}`);
    await dedup.claim(tenant, ids, 60_000);
    await dedup.commit(tenant, ids, 120_000);
  });
  await dedup.close();

  const store = createRedisAggregateStore(url, { prefix: `${run}agg:` });
  const bucket = bucketStart(Date.now(), 'minute');
  const cells = (tenant: string): CellDelta[] =>
    Array.from({ length: 40 }, (_, c) => ({
      tenantId: tenant,
      metric: 'pageviews',
      resolution: 'minute' as const,
      bucket,
      series: c === 0 ? null : { dimension: 'context.page.path' as const, value: `/p/${c}` },
      kind: 'count' as const,
      amount: 1,
    }));
  const offsets = new Map<number, number>();
  results.speed = await drive(4, SECONDS, async (worker) => {
    // One consumer per partition, as the speed layer runs: flushes of one partition are sequential.
    const from = offsets.get(worker) ?? 0;
    const batch: PartitionBatch = { partition: worker, from, to: from + 100, cells: Array.from({ length: 5 }, (_, t) => cells(`shop-${worker}-${t}`)).flat(), tenants: [] };
    const [outcome] = await store.applyBatch([batch]);
    if (outcome !== 'applied') throw new Error(outcome);
    offsets.set(worker, from + 100);
  });
  await store.clear();
  await store.close();
  return results;
}

async function standaloneRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-single-'));
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  const probe = createRedisStore(url, 'probe:');
  for (let tries = 0; ; tries++) {
    try {
      await probe.ping();
      break;
    } catch (error) {
      if (tries > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await probe.close();
  return {
    url,
    stop: async () => {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const rows: string[] = [];
const summary: Record<string, Record<string, number>> = {};
console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${SECONDS} s per workload`);
const single = await standaloneRedis();
const cluster = await startRedisCluster({ masters: 3 });
try {
  for (const [name, url] of [
    ['single', single.url],
    ['cluster (3 masters)', cluster.url],
  ] as const) {
    const results = await workloads(url, `bench:${Date.now()}:`);
    for (const [workload, r] of Object.entries(results)) {
      const sorted = [...r.latencies].sort((a, b) => a - b);
      const rate = r.ops / r.seconds;
      (summary[workload] ??= {})[name] = rate;
      rows.push(
        `| ${workload} | ${name} | ${Math.round(rate).toLocaleString('en')} ops/s | ${pct(sorted, 50)} | ${pct(sorted, 95)} | ${pct(sorted, 99)} | ${r.errors} |`,
      );
    }
  }
} finally {
  await cluster.stop();
  await single.stop();
}
console.log('\n| workload | Redis | throughput | p50 ms | p95 ms | p99 ms | errors |\n|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
console.log('');
for (const [workload, rates] of Object.entries(summary)) {
  console.log(`${workload}: cluster / single = ${((rates['cluster (3 masters)'] ?? 0) / (rates.single ?? 1)).toFixed(2)}`);
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
