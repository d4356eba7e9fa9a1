/**
 * Scale-out benchmark of the analytics platform: the production topology (NATS JetStream log,
 * Redis, local object store) as separate OS processes, first with 1 of each role (API node,
 * speed member, archiver), then with 2 of each, in the same run on the same machine. Load comes
 * from this process over loopback, bounded in time (about 2 × (1 + BENCH_SECONDS + BENCH_FRESH_SECONDS) s).
 *
 *   npm run bench:scale-out
 *
 * Per topology:
 * 1. Throughput: closed loop, BENCH_CONCURRENCY (default 16) requests of 100 events in flight,
 *    spread round-robin over the API nodes and over one tenant per log partition, for
 *    BENCH_SECONDS (default 6). Then the catch-up: time until both consumer roles reached the
 *    log's end (their durable positions), i.e. until the last accepted event is queryable.
 * 2. Freshness: an open loop at BENCH_RATE events/s (default 2,000; a due batch is skipped while
 *    16 are unanswered) for BENCH_FRESH_SECONDS (default 6), and meanwhile two probes (tenants on
 *    partitions 0 and 1, so with two members one is behind each member's share of the load):
 *    send one event, poll `/v1/query` every 20 ms (alternating nodes) until the tenant's count
 *    includes it. Freshness = first answer that shows it - send. Resolution: 20 ms + one query.
 */
import { randomUUID } from 'node:crypto';
import { build, type Histogram } from 'hdr-histogram-js';
import { Pool } from 'undici';
import { createTenantWithKeys, postBatch, queryTotal, type TenantKeys } from '../analytics/test/scale-out/api-client.ts';
import { until } from '../analytics/test/scale-out/child-processes.ts';
import { openProgressProbe, sumOver } from '../analytics/test/scale-out/consumer-progress.ts';
import { tenantIdsCovering } from '../analytics/test/scale-out/known-traffic.ts';
import { createTopology, type ScaleOutTopology } from '../analytics/test/scale-out/topology.ts';
import { cpuMsPerThousand, cpuSeconds } from './lib/proc-cpu.ts';

const natsUrl = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const freshSeconds = Number(process.env.BENCH_FRESH_SECONDS ?? 6);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const rate = Number(process.env.BENCH_RATE ?? 2000);
const partitions = Number(process.env.BENCH_PARTITIONS ?? 4);
const sizes = (process.env.BENCH_SIZES ?? '1,2').split(',').map(Number);
const BATCH = 100;
const MAX_IN_FLIGHT = 16;
for (const url of [natsUrl, redisUrl]) if (new URL(url).hostname !== '127.0.0.1' && new URL(url).hostname !== 'localhost') throw new Error('loopback engines only');

const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) bench-analytics-scale-out';
const histogram = (): Histogram => build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
const ms = (h: Histogram, p: number) => (h.getValueAtPercentile(p) / 1000).toFixed(1);
const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

function loadBody(event = 'Bench Event') {
  const now = new Date().toISOString();
  return {
    batch: Array.from({ length: BATCH }, (_, i) => ({ type: 'track', event, messageId: randomUUID(), anonymousId: `a${i % 50}`, properties: { value: 1 }, timestamp: now })),
    sentAt: now,
    context: { userAgent: USER_AGENT },
  };
}

interface Target {
  pool: Pool;
  authorization: string;
}

/** One POST /v1/batch through a node's pool; the events it stored (0 unless 200). */
async function send(target: Target): Promise<number> {
  const res = await target.pool.request({
    method: 'POST',
    path: '/v1/batch',
    headers: { authorization: target.authorization, 'content-type': 'application/json' },
    body: JSON.stringify(loadBody()),
  });
  const text = await res.body.text();
  return res.statusCode === 200 ? (JSON.parse(text) as { accepted: number }).accepted : 0;
}

/** Closed loop: `concurrency` requests always in flight, round-robin over (node, tenant) targets. */
async function closedLoop(targets: Target[], durationS: number) {
  const latency = histogram();
  let accepted = 0;
  let failed = 0;
  let next = 0;
  const start = performance.now();
  const deadline = start + durationS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const target = targets[next++ % targets.length]!;
        const t0 = performance.now();
        try {
          const n = await send(target);
          accepted += n;
          if (n === 0) failed++;
          latency.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
        } catch {
          failed++;
        }
      }
    }),
  );
  return { accepted, failed, seconds: (performance.now() - start) / 1000, latency };
}

/** Open loop at `rate` events/s in batches of 100; a due batch is skipped while MAX_IN_FLIGHT are unanswered. */
async function openLoop(targets: Target[], durationS: number) {
  const intervalMs = (BATCH / rate) * 1000;
  const inflight: Promise<void>[] = [];
  let inFlight = 0;
  let skipped = 0;
  let accepted = 0;
  const start = performance.now();
  for (let i = 0; performance.now() - start < durationS * 1000; i++) {
    await sleep(Math.max(0, start + i * intervalMs - performance.now()));
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped++;
      continue;
    }
    inFlight++;
    inflight.push(
      send(targets[i % targets.length]!)
        .then((n) => void (accepted += n))
        .catch(() => undefined)
        .finally(() => void inFlight--),
    );
  }
  const elapsed = (performance.now() - start) / 1000;
  await Promise.all(inflight);
  return { accepted, skipped, achieved: accepted / elapsed };
}

/** Send one event for `probe`, then poll until a node's count for it reaches `target`; records send -> visible. */
async function probeLoop(topology: ScaleOutTopology, probe: TenantKeys, since: string, stop: () => boolean, freshness: Histogram) {
  let count = 0;
  let samples = 0;
  for (let i = 0; !stop(); i++) {
    const body = { batch: [{ type: 'track', event: 'Probe', messageId: randomUUID(), anonymousId: 'probe', timestamp: new Date().toISOString() }], context: { userAgent: USER_AGENT } };
    const sentAt = performance.now();
    const answer = await postBatch(topology.apis[i % topology.apis.length]!.url, probe.writeKey, body);
    if (answer.accepted !== 1) throw new Error(`probe not accepted: ${answer.status}`);
    count++;
    for (let q = 0; ; q++) {
      const to = new Date(Date.now() + 60_000).toISOString();
      const { value } = await queryTotal(topology.apis[q % topology.apis.length]!.url, probe.readKey, { metric: 'events', granularity: 'minute', from: since, to });
      if (value >= count) break;
      if (performance.now() - sentAt > 60_000) throw new Error('probe not visible after 60 s');
      await sleep(20);
    }
    freshness.recordValue(Math.max(1, Math.round((performance.now() - sentAt) * 1000)));
    samples++;
    await sleep(50);
  }
  return samples;
}

async function measure(size: number): Promise<string> {
  const topology = await createTopology({ engines: { redisUrl, natsUrl }, partitions, label: `bench${size}` });
  const loadIds = tenantIdsCovering(`sob-${topology.run}`, partitions, 1);
  // Probes on partitions 0 and 1: with two members, one behind each member's share of the load.
  const probeIds = tenantIdsCovering(`sop-${topology.run}`, partitions, 1).slice(0, 2);
  const pools: Pool[] = [];
  const progress = { close: async () => {} };
  try {
    await topology.startApi();
    const others: Promise<unknown>[] = [];
    for (let i = 1; i < size; i++) others.push(topology.startApi());
    for (let i = 0; i < size; i++) {
      topology.startSpeed(i, size);
      topology.startArchiver(i, size);
    }
    await Promise.all(others);
    const probeState = await openProgressProbe(topology);
    progress.close = () => probeState.close();
    const admin = topology.apis[0]!.url;
    const load = await Promise.all(loadIds.map((id) => createTenantWithKeys(admin, topology.adminToken, id)));
    const probes = await Promise.all(probeIds.map((id) => createTenantWithKeys(admin, topology.adminToken, id)));
    for (const api of topology.apis) pools.push(new Pool(api.url, { connections: concurrency, pipelining: 1 }));
    const targets: Target[] = [];
    for (const tenant of load) for (const pool of pools) targets.push({ pool, authorization: basic(tenant.writeKey) });

    const caughtUp = async () => {
      const started = performance.now();
      await until('the consumers to reach the log end', async () => (topology.assertAlive(), probeState.caughtUp(await probeState.read())), 180_000);
      return (performance.now() - started) / 1000;
    };
    await closedLoop(targets, 1);
    await caughtUp();

    const roles = ['api', 'speed', 'archiver'] as const;
    const roleCpu = () => roles.map((role) => topology.children.filter((c) => c.name.startsWith(`${role}-`)).reduce((sum, c) => sum + cpuSeconds(c.child.pid!), 0));
    const cpuBefore = roleCpu();
    const throughput = await closedLoop(targets, seconds);
    const catchUpS = await caughtUp();
    const cpuAfter = roleCpu();
    const cpu = roles.map((_, i) => cpuMsPerThousand(cpuBefore[i]!, cpuAfter[i]!, throughput.accepted)).join(' / ');
    const logged = sumOver((await probeState.read()).logEnds);

    const since = new Date(Date.now() - 60_000).toISOString();
    const freshness = histogram();
    let sending = true;
    const probing = probes.map((probe) => probeLoop(topology, probe, since, () => !sending, freshness));
    const open = await openLoop(targets, freshSeconds);
    sending = false;
    const samples = (await Promise.all(probing)).reduce((a, b) => a + b, 0);

    const eps = Math.round(throughput.accepted / throughput.seconds);
    console.log(`${size} of each: ${eps} events/s accepted (${throughput.failed} failed requests), catch-up ${catchUpS.toFixed(2)} s, CPU ms per 1,000 events api/speed/archiver ${cpu}, log holds ${logged}; freshness p50 ${ms(freshness, 50)} ms p99 ${ms(freshness, 99)} ms (${samples} probes)`);
    return `| ${size} API + ${size} speed + ${size} archiver | ${eps} | ${ms(throughput.latency, 50)} | ${ms(throughput.latency, 99)} | ${throughput.failed} | ${catchUpS.toFixed(2)} | ${Math.round(open.achieved)} (${open.skipped} skipped) | ${samples} | ${ms(freshness, 50)} | ${ms(freshness, 99)} | ${ms(freshness, 100)} | ${cpu} |`;
  } finally {
    await Promise.all(pools.map((p) => p.close()));
    await progress.close();
    await topology.cleanup();
  }
}

const rows: string[] = [];
for (const size of sizes) rows.push(await measure(size));
console.log(`\n${new Date().toISOString()}  analytics scale-out, NATS JetStream (${partitions} partitions) + Redis + local lake, every role a separate process; load from this process over loopback; batches of ${BATCH}; ${seconds} s closed loop at ${concurrency} in flight, ${freshSeconds} s open loop at ${rate} events/s`);
console.log('\n| topology | events/s accepted (closed loop) | request p50 ms | p99 ms | failed requests | catch-up s | open loop achieved events/s | freshness probes | freshness p50 ms | p99 ms | max ms | CPU ms per 1,000 events: API / speed / archiver |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
