/**
 * CPU per 1,000 events of the whole embedded ingest path, in this process and without sockets:
 * the analytics app (file log, in-process views) takes BENCH_EVENTS events (default 200,000) as
 * Segment batches of 100 through `inject` (routing, parsing, validation, collector, durable append),
 * BENCH_CONCURRENCY (default 16) requests at a time, and the run ends once the speed layer counts
 * them all (the archiver runs alongside, a flush a second). Bodies are serialized before the clock starts, so the
 * figures hold no load generation. Printed: CPU ms per 1,000 events from /proc, for the process and
 * per thread role (main: collector, and the consumers unless ANALYTICS_SPEED_THREADS /
 * ANALYTICS_ARCHIVE_THREAD move them to threads of their own; other: GC and compiler helpers, the
 * file-system pool). CPU time is the figure other load on the machine inflates least.
 *
 *   npx tsx bench/analytics-ingest-cpu.ts
 *   ANALYTICS_SPEED_THREADS=1 ANALYTICS_ARCHIVE_THREAD=true npx tsx bench/analytics-ingest-cpu.ts
 *   ANALYTICS_DEDUP_MAX_ENTRIES=100000 npx tsx bench/analytics-ingest-cpu.ts   # the dedup store at its bound
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { startBenchAnalyticsApp } from './lib/analytics-app.ts';
import { threadCpuMsByName } from './lib/proc-cpu.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const BATCH = 100;
const adminToken = `at_${randomBytes(24).toString('base64url')}`;
const threadEnv = Object.fromEntries(
  ['ANALYTICS_SPEED_THREADS', 'ANALYTICS_ARCHIVE_THREAD', 'ANALYTICS_DEDUP_MAX_ENTRIES'].flatMap((name) => (process.env[name] ? [[name, process.env[name]!]] : [])),
);
const { app, close } = await startBenchAnalyticsApp('ingest-cpu', {
  ANALYTICS_ADMIN_TOKEN: adminToken,
  ANALYTICS_DEFAULT_RATE_LIMIT: '10000000',
  ANALYTICS_DEFAULT_DAILY_QUOTA: '1000000000',
  ...threadEnv,
});
const server = app.server;

async function admin(url: string, payload: unknown) {
  const res = await server.inject({ method: 'POST', url, headers: { authorization: `Bearer ${adminToken}` }, payload: payload as object });
  if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return res.json() as { plainKey?: string };
}

const tenantId = `bench-${randomBytes(3).toString('hex')}`;
await admin('/admin/tenants', { id: tenantId, name: 'Ingest CPU benchmark', timeZone: 'UTC', dailyQuota: 1_000_000_000, rateLimitPerSecond: 10_000_000 });
const writeKey = (await admin(`/admin/tenants/${tenantId}/keys`, { kind: 'write', label: 'bench' })).plainKey!;
const readKey = (await admin(`/admin/tenants/${tenantId}/keys`, { kind: 'read', label: 'bench' })).plainKey!;
const headers = { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) bench-analytics-ingest', 'content-type': 'application/json' };

const now = new Date().toISOString();
let sequence = 0;
const body = () =>
  JSON.stringify({
    sentAt: now,
    batch: Array.from({ length: BATCH }, () => ({
      type: 'track',
      event: 'Bench Event',
      messageId: randomUUID(),
      anonymousId: `a${sequence++ % 5000}`,
      properties: { plan: 'bench', value: 1 },
      context: { page: { path: '/bench' } },
      timestamp: now,
    })),
  });

async function counted(): Promise<number> {
  const from = encodeURIComponent(new Date(Date.now() - 10 * 60_000).toISOString());
  const to = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
  const res = await server.inject({ method: 'GET', url: `/v1/query?metric=events&granularity=minute&from=${from}&to=${to}`, headers: { authorization: `Bearer ${readKey}` } });
  if (res.statusCode !== 200) throw new Error(`query: ${res.statusCode} ${res.body}`);
  return (res.json() as { total: { value: number } }).total.value;
}

async function send(bodies: string[]): Promise<number> {
  let next = 0;
  let accepted = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const res = await server.inject({ method: 'POST', url: '/v1/batch', headers, payload: bodies[next++]! });
        if (res.statusCode !== 200) throw new Error(`batch: ${res.statusCode} ${res.body}`);
        accepted += (res.json() as { accepted: number }).accepted;
      }
    }),
  );
  return accepted;
}

async function until(target: number) {
  for (;;) {
    if ((await counted()) >= target) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

try {
  // Warm-up: JIT, the log's files, the views' first cells.
  const warm = await send(Array.from({ length: 200 }, body));
  await until(warm);
  const bodies = Array.from({ length: EVENTS / BATCH }, body);
  const cpu = () => threadCpuMsByName(process.pid);
  const before = cpu();
  const started = performance.now();
  const accepted = await send(bodies);
  const sentMs = performance.now() - started;
  await until(warm + accepted);
  const countedMs = performance.now() - started;
  const after = cpu();
  const per = (name: string) => ((((after.get(name) ?? 0) - (before.get(name) ?? 0)) / accepted) * 1000).toFixed(1);
  const total = [...after.keys()].reduce((sum, name) => sum + (after.get(name) ?? 0) - (before.get(name) ?? 0), 0);
  console.log(
    `${new Date().toISOString()} ingest CPU, ${accepted} events, concurrency ${CONCURRENCY}, ${JSON.stringify(threadEnv)}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
  );
  console.log('| events | sent in s | counted in s | CPU ms per 1,000 events: process / main / speed threads / archiver thread / other |');
  console.log(`| ${accepted} | ${(sentMs / 1000).toFixed(1)} | ${(countedMs / 1000).toFixed(1)} | ${((total / accepted) * 1000).toFixed(1)} / ${per('main')} / ${per('speed')} / ${per('archiver')} / ${per('other')} |`);
} finally {
  await close();
}
