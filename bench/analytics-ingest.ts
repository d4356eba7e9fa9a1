/**
 * Ingest benchmark of the analytics platform: the app runs as a child process exactly as
 * `npm start` runs it, load comes from this process over loopback.
 *
 *   npx tsx bench/analytics-ingest.ts                 embedded default (file log, in-process views)
 *   npx tsx bench/analytics-ingest.ts --nats --redis  NATS JetStream log + Redis views/stores
 *   npx tsx bench/analytics-ingest.ts --nats --redis --roles
 *       the speed layer and the archiver as their own processes (processes/speed.ts, archiver.ts)
 *   BENCH_API_WORKERS=2 npx tsx bench/analytics-ingest.ts --nats --redis --roles
 *       the collector/query API as 2 cluster workers on one port (ANALYTICS_API_WORKERS)
 *
 * 1. Throughput: Segment batches of 100 events, closed loop at increasing concurrency, each level
 *    BENCH_SECONDS long (default 5). After each level it polls `/v1/query` until the speed
 *    layer's count equals what the collector accepted: the catch-up time.
 * 2. Freshness: an open loop at each BENCH_RATE events/s (default 10,000 then 2,000) for
 *    BENCH_FRESH_SECONDS (default 10); a due batch is skipped (and counted) while 16 are unanswered. Every 5th batch is a marker; a poller reads the count every 20 ms, and a
 *    marker is visible once the count reaches every event accepted up to and including its
 *    batch (one tenant = one partition, consumed in order). Freshness = visible - sent.
 *    Resolution: the 20 ms poll plus one query's latency.
 * BENCH_NODE_ARGS: node flags for the app process only (say `--cpu-prof --cpu-prof-dir=DIR`).
 * CPU: user + system time from /proc over each level (load and catch-up) and each rate (sending
 * and draining), per 1,000 events accepted, for each role: the app (its process tree: the cluster
 * primary and its workers), and with --roles the speed and archiver processes. Without --roles
 * (one app process) also each thread role of the app: its main thread (collector and queries),
 * the speed layer's worker threads, the archiver's, and the rest (GC and compiler helpers, the
 * file-system pool); with ANALYTICS_SPEED_THREADS=0 ANALYTICS_ARCHIVE_THREAD=false the consumers
 * run on the main thread, as before those threads existed.
 * BENCH_CONCURRENCY=none skips the closed-loop levels (BENCH_RATE=50000 BENCH_FRESH_SECONDS=60:
 * a sustained rate).
 * BENCH_ENGINE_PIDS=redis:PID,nats:PID adds those processes' CPU per 1,000 events as more columns:
 * only meaningful for engines this run has to itself (a private redis-server and nats-server
 * behind BENCH_REDIS_URL and BENCH_NATS_URL), since a shared engine's CPU includes everyone's.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'hdr-histogram-js';
import { Pool } from 'undici';
import { freePort, runTs, waitFor } from '../commerce/test/support/process.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { cpuMsPerThousand, threadCpuMsByName, treeCpuMs } from './lib/proc-cpu.ts';
import { deleteRedisKeys } from './lib/redis-cleanup.ts';

const args = new Set(process.argv.slice(2));
const useNats = args.has('--nats');
const useRedis = args.has('--redis');
const natsUrl = process.env.BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
// `none`: only the freshness rates (say a 60 s sustained rate).
const levels = process.env.BENCH_CONCURRENCY === 'none' ? [] : (process.env.BENCH_CONCURRENCY ?? '1,4,16,32').split(',').map(Number);
const rates = (process.env.BENCH_RATE ?? '10000,2000').split(',').map(Number);
const splitRoles = args.has('--roles');
const apiWorkers = Number(process.env.BENCH_API_WORKERS ?? 1);
if ((splitRoles || apiWorkers > 1) && !(useNats && useRedis)) throw new Error('--roles and BENCH_API_WORKERS need --nats --redis (shared log and stores)');
const MAX_IN_FLIGHT = 16;
const freshSeconds = Number(process.env.BENCH_FRESH_SECONDS ?? 10);
const BATCH = 100;

const run = randomBytes(3).toString('hex');
const tenantId = `bench-${run}`;
const streamPrefix = `bench${run}`;
const redisPrefix = `bench:${run}:`;
const adminToken = `at_${randomBytes(24).toString('base64url')}`;
const dataDir = mkdtempSync(join(tmpdir(), 'bench-analytics-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const engines = `${useNats ? 'NATS JetStream log' : 'file log'} + ${useRedis ? 'Redis views/stores' : 'in-process views/stores'}`;
const topologyText = `${apiWorkers} API ${apiWorkers > 1 ? 'workers' : 'process'}${splitRoles ? ' + speed process + archiver process' : ` (every role in it; ANALYTICS_SPEED_THREADS=${process.env.ANALYTICS_SPEED_THREADS ?? 'default'}, ANALYTICS_ARCHIVE_THREAD=${process.env.ANALYTICS_ARCHIVE_THREAD ?? 'default'})`}`;
const engineEnv = {
  ...(useNats ? { NATS_URL: natsUrl, ANALYTICS_NATS_STREAM_PREFIX: streamPrefix } : {}),
  ...(useRedis ? { REDIS_URL: redisUrl, ANALYTICS_REDIS_PREFIX: redisPrefix } : {}),
};

const app = runTs('analytics/src/main.ts', {
  ANALYTICS_PORT: String(port),
  DATA_DIR: dataDir,
  LOG_LEVEL: 'warn',
  ANALYTICS_ADMIN_TOKEN: adminToken,
  ANALYTICS_DEFAULT_RATE_LIMIT: '10000000',
  ANALYTICS_DEFAULT_DAILY_QUOTA: '1000000000',
  // Without the flags the child gets no engine URL (unless this shell exports one): embedded defaults.
  ...engineEnv,
  ANALYTICS_API_WORKERS: String(apiWorkers),
  ...(splitRoles ? { ANALYTICS_SPEED_IN_PROCESS: 'false', ANALYTICS_ARCHIVE_IN_PROCESS: 'false', ANALYTICS_BATCH_IN_PROCESS: 'false' } : {}),
}, process.env.BENCH_NODE_ARGS?.split(' ') ?? []);
// Started once the app is ready (it creates the log's streams).
const consumers: ReturnType<typeof runTs>[] = [];
const roles = [{ name: splitRoles ? 'API' : 'app', pid: app.child.pid! }];
const engineRoles = (process.env.BENCH_ENGINE_PIDS ?? '').split(',').filter(Boolean).map((entry) => {
  const [name, pid] = entry.split(':');
  if (!name || !Number.isInteger(Number(pid))) throw new Error(`BENCH_ENGINE_PIDS: "${entry}" is not name:pid`);
  return { name: `${name} (engine)`, pid: Number(pid) };
});
function startConsumers() {
  if (!splitRoles) return;
  for (const [name, entry] of [['speed', 'analytics/src/processes/speed.ts'], ['archiver', 'analytics/src/processes/archiver.ts']] as const) {
    const child = runTs(entry, { DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...engineEnv });
    consumers.push(child);
    roles.push({ name, pid: child.child.pid! });
  }
}
// Embedded, the roles are threads of the one app process (the speed layer's and the archiver's
// worker threads name themselves): each thread's CPU is read apart.
const THREAD_ROLES = [
  ['main', 'main thread (collector, queries)'],
  ['speed', 'speed threads'],
  ['archiver', 'archiver thread'],
  ['other', 'other threads (GC, compiler, fs pool)'],
] as const;
/** CPU seconds of each role so far: each role's process tree, then (one process) each thread role. */
const roleCpu = () => {
  const trees = roles.map((role) => treeCpuMs(role.pid) / 1000);
  if (splitRoles || apiWorkers > 1) return trees;
  const byName = threadCpuMsByName(app.child.pid!);
  return [...trees, ...THREAD_ROLES.map(([name]) => (byName.get(name) ?? 0) / 1000)];
};
const cpuPerRole = (before: number[], events: number) => {
  const after = roleCpu();
  return after.map((a, i) => cpuMsPerThousand(before[i]!, a, events)).join(' / ');
};
const cpuHeader = () =>
  `CPU ms per 1,000 events: ${[...roles.map((r) => r.name), ...(splitRoles || apiWorkers > 1 ? [] : THREAD_ROLES.map(([, label]) => label))].join(' / ')}`;

async function admin(path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ plainKey?: string }>;
}

const userAgent = 'Mozilla/5.0 (X11; Linux x86_64) bench-analytics-ingest';
let sequence = 0;
function batchBody(event = 'Bench Event') {
  const now = new Date().toISOString();
  const batch = Array.from({ length: BATCH }, () => ({
    type: 'track',
    event,
    messageId: randomUUID(),
    anonymousId: `a${sequence++ % 5000}`,
    properties: { plan: 'bench', value: 1 },
    context: { page: { path: '/bench' } },
    timestamp: now,
  }));
  return { batch, sentAt: now };
}

let readKey = '';
const from = new Date(Date.now() - 5 * 60_000).toISOString();
async function countedEvents(): Promise<number> {
  const res = await fetch(`${base}/v1/query?metric=events&granularity=minute&from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  if (res.status === 429 || res.status === 503) {
    // A long catch-up polled every 20 ms can reach the per-client query limit, and a loaded machine the
    // app's load shedding: wait as told, then ask again.
    await res.body?.cancel();
    await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
    return countedEvents();
  }
  if (!res.ok) throw new Error(`query: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { total: { value: number } }).total.value;
}

async function catchUp(target: number, timeoutMs = 120_000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if ((await countedEvents()) >= target) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`speed layer did not reach ${target} events in ${timeoutMs / 1000}s (at ${await countedEvents()})`);
}

/**
 * Open loop at `rate` events/s for `freshSeconds`. A due batch is skipped (and counted) when
 * MAX_IN_FLIGHT are unanswered, so client-side queueing never passes for freshness.
 */
async function freshnessAt(rate: number, baseline: number, headers: Record<string, string>) {
  const pool = new Pool(base, { connections: MAX_IN_FLIGHT, pipelining: 1 });
  const intervalMs = (BATCH / rate) * 1000;
  const sendTimes = new Map<number, number>();
  const acceptedPerBatch: number[] = [];
  const markers: number[] = [];
  const observations: Array<{ at: number; count: number }> = [];
  let sending = true;
  let inFlight = 0;
  let skipped = 0;
  const sum = () => acceptedPerBatch.reduce((a, b) => a + b, 0);
  const poller = (async () => {
    let drainDeadline = Infinity;
    while (sending || ((observations.at(-1)?.count ?? 0) < baseline + sum() && performance.now() < drainDeadline)) {
      if (!sending && drainDeadline === Infinity) drainDeadline = performance.now() + 120_000;
      observations.push({ at: performance.now(), count: await countedEvents() });
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; performance.now() - start < freshSeconds * 1000; i++) {
    // Batch i is due at start + i * interval, whatever the previous answers did.
    const wait = start + i * intervalMs - performance.now();
    // Always yield, even when behind: answers must get the chance to free their slots.
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
    acceptedPerBatch[i] = 0;
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped++;
      continue;
    }
    const marker = i % 5 === 0;
    if (marker) markers.push(i);
    inFlight++;
    sendTimes.set(i, performance.now());
    inflight.push(
      pool
        .request({ method: 'POST', path: '/v1/batch', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(batchBody(marker ? 'Bench Marker' : 'Bench Event')) })
        .then(async (res) => {
          await res.body.dump();
          if (res.statusCode === 200) acceptedPerBatch[i] = BATCH;
        })
        .catch(() => undefined)
        .finally(() => void inFlight--),
    );
  }
  const sentSeconds = (performance.now() - start) / 1000;
  await Promise.all(inflight);
  sending = false;
  await poller;
  await pool.close();
  const freshness = build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
  let cumulative = baseline;
  const targets = acceptedPerBatch.map((n) => (cumulative += n));
  let visible = 0;
  for (const i of markers) {
    const sent = sendTimes.get(i)!;
    if (acceptedPerBatch[i] === 0) continue;
    const seen = observations.find((o) => o.count >= targets[i]! && o.at >= sent);
    if (!seen) continue;
    visible++;
    freshness.recordValue(Math.max(1, Math.round((seen.at - sent) * 1000)));
  }
  const accepted = sum();
  const ms = (p: number) => (freshness.getValueAtPercentile(p) / 1000).toFixed(1);
  return {
    accepted,
    row: `| ${rate} | ${Math.round(accepted / sentSeconds)} | ${accepted} | ${skipped} | ${visible}/${markers.length} | ${ms(50)} | ${ms(99)} | ${ms(100)} |`,
  };
}

const accepted = (r: LoadResult) => (r.requests - Object.values(r.statuses).reduce((a, b) => a + b, 0)) * BATCH;

try {
  await waitFor(`${base}/ready`);
  startConsumers();
  roles.push(...engineRoles);
  await admin('/admin/tenants', { id: tenantId, name: 'Ingest benchmark', timeZone: 'UTC', dailyQuota: 1_000_000_000, rateLimitPerSecond: 10_000_000 });
  const writeKey = (await admin(`/admin/tenants/${tenantId}/keys`, { kind: 'write', label: 'bench' })).plainKey!;
  readKey = (await admin(`/admin/tenants/${tenantId}/keys`, { kind: 'read', label: 'bench' })).plainKey!;
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const headers = { authorization, 'user-agent': userAgent };

  // Warm-up (JIT, connections, stream creation), counted in the totals like everything else.
  const warm = await runLoad({ name: 'warm-up', baseUrl: base, concurrency: 4, seconds: 1, next: () => ({ method: 'POST', path: '/v1/batch', headers, body: batchBody() }) });
  let total = accepted(warm);
  await catchUp(total);

  const rows: string[] = [];
  for (const concurrency of levels) {
    const cpuBefore = roleCpu();
    const r = await runLoad({
      name: `c${concurrency}`,
      baseUrl: base,
      concurrency,
      seconds,
      next: () => ({ method: 'POST', path: '/v1/batch', headers, body: batchBody() }),
    });
    const ok = accepted(r);
    total += ok;
    const caughtUpMs = await catchUp(total);
    const cpu = cpuPerRole(cpuBefore, ok);
    const bad = Object.entries(r.statuses).map(([s, n]) => `${s}:${n}`).join(' ') || '0';
    rows.push(`| ${concurrency} | ${r.requests} | ${ok} | ${Math.round(ok / r.seconds)} | ${r.p50} | ${r.p99} | ${bad} / ${r.errors} | ${(caughtUpMs / 1000).toFixed(2)} | ${cpu} |`);
    console.log(`concurrency ${concurrency}: ${Math.round(ok / r.seconds)} events/s accepted, caught up ${(caughtUpMs / 1000).toFixed(2)} s after`);
  }

  // ── Freshness at fixed rates ──
  const freshRows: string[] = [];
  for (const rate of rates) {
    const cpuBefore = roleCpu();
    const result = await freshnessAt(rate, total, headers);
    total += result.accepted;
    freshRows.push(`${result.row} ${cpuPerRole(cpuBefore, result.accepted)} |`);
    console.log(`freshness at ${rate} events/s: ${freshRows.at(-1)}`);
  }

  console.log(`\n${new Date().toISOString()}  analytics ingest, ${engines}, ${topologyText}, batches of ${BATCH}, ${seconds}s per level, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`\n| concurrency | batches | events accepted | events/s accepted | p50 ms | p99 ms | non-2xx / errors | speed-layer catch-up s | ${cpuHeader()} |`);
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`\n| target events/s | achieved events/s | events accepted | batches skipped (16 in flight) | markers seen | freshness p50 ms | p99 ms | max ms | ${cpuHeader()} |`);
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of freshRows) console.log(row);
} finally {
  for (const c of consumers) c.child.kill('SIGTERM');
  app.child.kill('SIGTERM');
  await Promise.all([app.exited, ...consumers.map((c) => c.exited)]);
  rmSync(dataDir, { recursive: true, force: true });
  if (useRedis) await deleteRedisKeys(redisUrl, [`${redisPrefix}*`, `analytics:dedup:{${tenantId}}:*`, `analytics:*${tenantId}*`]).catch(() => undefined);
  if (useNats) {
    const { connect } = await import('@nats-io/transport-node');
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    for (const stream of await jsm.streams.names().next()) if (stream.startsWith(`${streamPrefix}_`)) await jsm.streams.delete(stream).catch(() => false);
    await nc.close();
  }
}
