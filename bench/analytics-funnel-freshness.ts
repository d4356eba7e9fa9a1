/**
 * How fresh and how fast funnels are, through the HTTP API of one analytics app (embedded stores,
 * default archiver flush, ARCHIVE_FLUSH_MS = 1 s):
 * - send → visible: a new visitor's page view and sign up are posted to `/v1/batch`, then today's
 *   funnel (`POST /v1/funnels`, / → Signed Up) is asked every POLL_MS until it counts them; the
 *   time from the send to that answer, and `freshness.through` checked to reach the send (the
 *   archiver writes a buffer once its oldest event is ARCHIVE_FLUSH_MS old, so expect about one
 *   interval plus the write and a question);
 * - the funnel question over 1 and 30 days of the 30-day benches' events (3 a minute, columnar
 *   copies up to two days before their fixed now, NDJSON after), three page steps within three days, with the
 *   process's CPU per question.
 *
 *   npm run bench:funnel-freshness              # SAMPLES=40 POLL_MS=20 ITERATIONS=30
 *   ARCHIVE_FLUSH_MS=200 ONLY_FRESHNESS=1 npm run bench:funnel-freshness
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startBenchAnalyticsApp, type BenchAnalyticsApp } from './lib/analytics-app.ts';
import { writeRawLake } from './lib/raw-lake.ts';
import { BATCH_WATERMARK, DAY, EVENTS_PER_MINUTE, MINUTE, NOW, query30dEvents } from './lib/query-30d-events.ts';
import { runBatch } from '../analytics/src/batch/index.ts';
import type { LocalObjectStore } from '../analytics/src/storage/index.ts';

const SAMPLES = Number(process.env.SAMPLES ?? 40);
const POLL_MS = Number(process.env.POLL_MS ?? 20);
const ITERATIONS = Number(process.env.ITERATIONS ?? 30);

function report(label: string, times: number[]) {
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!.toFixed(1);
  console.log(`${label.padEnd(52)} p50 ${at(0.5).padStart(8)} ms  p95 ${at(0.95).padStart(8)} ms  p99 ${at(0.99).padStart(8)} ms  max ${times.at(-1)!.toFixed(1).padStart(8)} ms  (${times.length} runs)`);
}

interface FunnelAnswer {
  steps: Array<{ visitors: number }>;
  freshness: { through: string | null; files: number };
}

/** The 30-day benches' events laid into the app's lake, the closed days compacted, then the funnel over 1 and 30 days. */
async function questionsOver30Days(
  app: BenchAnalyticsApp['app'],
  funnel: (read: string, body: Record<string, unknown>) => Promise<FunnelAnswer>,
  keys: (tenant: string) => Promise<{ write: string; read: string }>,
) {
  const events = query30dEvents(NOW, EVENTS_PER_MINUTE).filter((e) => Date.parse(e.timestamp) >= NOW - 31 * DAY);
  // The embedded store is a directory: the events are laid out in it as the archiver lays them out.
  const lakeDir = (app.objectStore as Partial<LocalObjectStore>).rootDir;
  if (!lakeDir) throw new Error('the funnel bench needs the embedded (directory) object store');
  await writeRawLake(lakeDir, events);
  const started = performance.now();
  const run = await runBatch({ lake: app.objectStore, tenants: ['bench'], now: BATCH_WATERMARK + 6 * MINUTE, from: new Date(NOW - 31 * DAY).toISOString().slice(0, 10), to: new Date(BATCH_WATERMARK - DAY).toISOString().slice(0, 10) });
  console.log(`${events.length} events over 31 days (${EVENTS_PER_MINUTE}/min); batch: ${run.periods.length} columnar days in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const { read } = await keys('bench');
  // The shared generator's visitors each keep to one page and come back about every 17 hours: /p1, then any /p page, then /p1 again, within three days.
  const steps = [{ kind: 'page', path: '/p1' }, { kind: 'page', path: '/p*' }, { kind: 'page', path: '/p1' }];
  for (const days of [1, 30]) {
    const body = { from: new Date(NOW - days * DAY).toISOString(), to: new Date(NOW).toISOString(), steps, windowMinutes: 3 * 24 * 60 };
    const first = await funnel(read, body);
    for (let i = 0; i < 3; i++) await funnel(read, body);
    const times: number[] = [];
    // This process's CPU (DuckDB's threads run in it): a count the machine's other load does not inflate as much as wall time.
    const cpu = process.cpuUsage();
    for (let i = 0; i < ITERATIONS; i++) {
      const start = performance.now();
      await funnel(read, body);
      times.push(performance.now() - start);
    }
    const used = process.cpuUsage(cpu);
    report(`POST /v1/funnels, ${days} day${days > 1 ? 's' : ''} (${first.freshness.files} raw files)`, times);
    console.log(`  CPU ${((used.user + used.system) / 1000 / ITERATIONS).toFixed(0)} ms a question; steps ${first.steps.map((s) => s.visitors).join(' → ')}`);
  }
}

console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const FLUSH_MS = process.env.ARCHIVE_FLUSH_MS;
const { app, base, close } = await startBenchAnalyticsApp('funnel-freshness', FLUSH_MS ? { ARCHIVE_FLUSH_MS: FLUSH_MS } : {});
try {
  const keys = async (tenant: string) => {
    await app.tenants.createTenant({ id: tenant, name: tenant, timeZone: 'UTC' });
    const write = await app.tenants.createKey(tenant, 'write');
    const read = await app.tenants.createKey(tenant, 'read');
    if (!write.ok || !read.ok) throw new Error('setup failed');
    return { write: write.value.plainKey, read: read.value.plainKey };
  };
  const funnel = async (read: string, body: Record<string, unknown>): Promise<FunnelAnswer> => {
    const res = await fetch(`${base}/v1/funnels`, { method: 'POST', headers: { authorization: `Bearer ${read}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status !== 200) throw new Error(`funnel: ${res.status} ${await res.text()}`);
    return (await res.json()) as FunnelAnswer;
  };

  // ── Send → visible in today's funnel ──
  const fresh = await keys('fresh');
  const today = { from: new Date(Math.floor(Date.now() / DAY) * DAY).toISOString(), steps: [{ kind: 'page', path: '/' }, { kind: 'event', event: 'Signed Up' }] };
  const visible: number[] = [];
  const polls: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const visitor = `v${i}`;
    const context = { page: { path: '/' } };
    const sent = performance.now();
    const sentAt = Date.now();
    const batch = [
      { type: 'page', messageId: `${visitor}-home`, anonymousId: visitor, timestamp: new Date(sentAt - 2_000).toISOString(), context },
      { type: 'track', event: 'Signed Up', messageId: `${visitor}-signup`, anonymousId: visitor, timestamp: new Date(sentAt - 1_000).toISOString(), context },
    ];
    const res = await fetch(`${base}/v1/batch`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${fresh.write}:`).toString('base64')}`, 'content-type': 'application/json' }, body: JSON.stringify({ batch }) });
    if (res.status !== 200) throw new Error(`batch: ${res.status} ${await res.text()}`);
    for (let n = 1; ; n++) {
      const answer = await funnel(fresh.read, today);
      if (answer.steps[1]!.visitors === i + 1) {
        visible.push(performance.now() - sent);
        polls.push(n);
        if (Date.parse(answer.freshness.through!) < sentAt) throw new Error(`freshness.through ${answer.freshness.through} is before the send`);
        break;
      }
      if (performance.now() - sent > 30_000) throw new Error(`visitor ${visitor} not in today's funnel after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    // Sends apart, as visitors' are: the archiver writes a buffer once its oldest event is ARCHIVE_FLUSH_MS old.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 1000));
  }
  console.log(`send → visible in today's funnel: ${SAMPLES} visitors, ARCHIVE_FLUSH_MS ${FLUSH_MS ?? '1000 (default)'}, polled every ${POLL_MS} ms (${polls.reduce((a, b) => a + b, 0)} funnel answers in all)`);
  report('send → visible in POST /v1/funnels (today)', visible);

  // ── The funnel question over 1 and 30 days (ONLY_FRESHNESS=1 leaves it out) ──
  if (!process.env.ONLY_FRESHNESS) await questionsOver30Days(app, funnel, keys);
} finally {
  await close();
}
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
