/**
 * `GET /v1/query` over HTTP, as a dashboard asks it: the real analytics app (its own process,
 * started as `npm start` starts it, over a data directory whose lake holds 62 days: columnar
 * copies of the closed days, the last 2.5 days NDJSON) answers 30-day questions with filters on
 * two dimensions (product target: p99 under 100 ms). Per question: the first answer after the
 * app is ready (it loads what the app holds), then RUNS timed answers with p50/p99/max, the app's
 * CPU per answer from /proc and the 1-minute load average. Each answer is checked against the
 * same question answered in this process by the query code; a mismatch is printed loudly.
 * With BENCH_BASE_ROOT=<another checkout> that checkout's app is started too, over the same lake,
 * and the two apps answer in turn, question by question.
 *
 * With BENCH_TODAY_CHANGES=1 a new object lands in today's folder before every question, as an
 * archiver's flush leaves one while events arrive: its one event is later than the questions' end,
 * so the answers stay the same, but what the app held of today no longer stands for it.
 *
 *   npm run bench:query-api-30d     # RUNS=50 BENCH_LAKE=/tmp/lake (written once for the hour it is written, then reused and kept) BENCH_BASE_ROOT=/tmp/main-checkout BENCH_TODAY_CHANGES=1
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { processCpuMs } from './lib/proc-cpu.ts';
import { benchAnalyticsEnv } from './lib/analytics-app.ts';
import { query30dLake } from './lib/query-30d-lake.ts';
import { BENCH_GOALS, twoFilterQuestions } from './lib/query-30d-questions.ts';
import { openDuckDb } from '../analytics/src/batch/index.ts';
import { DEFAULT_RETENTION } from '../analytics/src/contracts/index.ts';
import { METRICS } from '../analytics/src/contracts/metrics.ts';
import { createFileGoalStore, goalFilePath } from '../analytics/src/goals/index.ts';
import { type Answer, answerPanel } from '../analytics/src/query/answer-panel.ts';
import { answerAllFromRawEvents, answerFromRawEvents } from '../analytics/src/query/combined-filter.ts';
import type { QueryString } from '../analytics/src/query/query-params.ts';
import { localLakeDir, localObjectStore } from '../analytics/src/storage/index.ts';

const RUNS = Number(process.env.RUNS ?? 50);
const TENANT = { id: 'bench', timeZone: 'Europe/Paris' };
const READ_KEY = `rk_${'r'.repeat(40)}`;
const WRITE_KEY = `wk_${'w'.repeat(40)}`;
const load = () => loadavg()[0]!.toFixed(2);
const here = resolve(fileURLToPath(import.meta.url), '../..');

// The app reads its own clock: the lake's 62 days end at the hour the lake is written, so the
// questions are about the app's recent days. BENCH_LAKE=<dir>: written there once, reused (and kept).
const given = process.env.BENCH_LAKE;
const lakeDir = given ?? (await mkdtemp(join(tmpdir(), 'query-api-bench-lake-')));
const lakeNow = await query30dLake(lakeDir, Math.floor(Date.now() / 3_600_000) * 3_600_000);

interface App {
  name: string;
  child: ChildProcess;
  base: string;
  dataDir: string;
  readyMs: number;
  /** The app's CPU when it answered ready. */
  cpuAtReady: number;
}

const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });

/** The app of checkout `root` in a process of its own, its lake the bench's (linked), with the bench tenant, its keys and its goal. */
async function startApp(name: string, root: string): Promise<App> {
  const dataDir = await mkdtemp(join(tmpdir(), `query-api-bench-${name}-`));
  await mkdir(join(dataDir, 'analytics'), { recursive: true });
  await symlink(lakeDir, localLakeDir(dataDir));
  const goals = createFileGoalStore(goalFilePath(dataDir));
  for (const goal of BENCH_GOALS) await goals.add({ ...goal, name: goal.id, tenantId: TENANT.id, createdAt: new Date().toISOString() }, 50);
  await goals.close();
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'analytics/src/main.ts')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      ...benchAnalyticsEnv(dataDir),
      ANALYTICS_PORT: String(port),
      ANALYTICS_DEMO_TENANT: TENANT.id,
      ANALYTICS_DEMO_TIME_ZONE: TENANT.timeZone,
      ANALYTICS_DEMO_READ_KEY: READ_KEY,
      ANALYTICS_DEMO_WRITE_KEY: WRITE_KEY,
    },
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} app exited with ${child.exitCode}`);
    const ready = await fetch(`${base}/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { name, child, base, dataDir, readyMs: performance.now() - started, cpuAtReady: processCpuMs(child.pid!)! };
}

async function stopApp(app: App): Promise<void> {
  const exited = new Promise((r) => app.child.once('exit', r));
  app.child.kill('SIGTERM');
  await exited;
  await rm(app.dataDir, { recursive: true, force: true });
}

const search = (params: QueryString) => {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined) out.append(key, String(v));
  return out;
};

/** What two answers must agree on: the series and totals of the period and of its comparison. */
const figures = (body: { total?: unknown; series?: unknown; comparison?: { total?: unknown; series?: unknown } }) =>
  JSON.stringify({ total: body.total, series: body.series, comparison: body.comparison ? { total: body.comparison.total, series: body.comparison.series } : null });

async function ask(app: App, params: QueryString): Promise<{ ms: number; cpu: number; body: string }> {
  const cpu = processCpuMs(app.child.pid!)!;
  const start = performance.now();
  const res = await fetch(`${app.base}/v1/query?${search(params)}`, { headers: { authorization: `Bearer ${READ_KEY}` } });
  const text = await res.text();
  const ms = performance.now() - start;
  if (res.status !== 200) throw new Error(`${app.name}: ${res.status} ${text}`);
  // The app writes its answer before its own accounting of it ends: the CPU is read once the body is in.
  return { ms, cpu: processCpuMs(app.child.pid!)! - cpu, body: figures(JSON.parse(text) as Parameters<typeof figures>[0]) };
}

const at = (list: number[], p: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.ceil(p * list.length) - 1)]!;
const ms = (n: number) => `${n.toFixed(1).padStart(6)} ms`;

const apps = [await startApp('after', here), ...(process.env.BENCH_BASE_ROOT ? [await startApp('before', resolve(process.env.BENCH_BASE_ROOT))] : [])];
console.log(`lake ${lakeDir} (its now ${new Date(lakeNow).toISOString()}); ${RUNS} runs per question; load ${load()}`);
for (const app of apps) console.log(`${app.name.padEnd(6)} ready ${app.readyMs.toFixed(0)} ms after spawn (pid ${app.child.pid})`);
// Let each app settle (its start-up work, and anything it does once ready: the raw warm-up) before the first question.
await new Promise((r) => setTimeout(r, Number(process.env.SETTLE_MS ?? 5000)));
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
for (const app of apps) console.log(`${app.name.padEnd(6)} CPU from ready to the first question: ${(processCpuMs(app.child.pid!)! - app.cpuAtReady).toFixed(0)} ms, RSS then ${rssMb(app.child.pid!).toFixed(0)} MB (load ${load()})`);

// The same questions answered in this process by this checkout's query code, for the check.
const duckdb = await openDuckDb({ threads: 1 });
const connection = await duckdb.connect();
const lake = localObjectStore(lakeDir);
const inProcess: Answer = Object.assign(async (query: Parameters<Answer>[0], now: number) => answerFromRawEvents(connection, lake, { ...query, combined: query.combined ?? [] }, now, { goals: BENCH_GOALS }), {
  together: (queries: Parameters<NonNullable<Answer['together']>>[0], now: number) => answerAllFromRawEvents(connection, lake, queries, now, { goals: BENCH_GOALS }),
});

// Today's flushes (BENCH_TODAY_CHANGES): objects of a partition no archiver writes, removed at the end.
const todayChanges = process.env.BENCH_TODAY_CHANGES === '1';
const later = new Date(lakeNow + 30 * 60_000).toISOString();
const flushDir = join(lakeDir, `raw/tenant=${TENANT.id}/date=${later.slice(0, 10)}/hour=${later.slice(11, 13)}`);
let flushes = 0;
const flush = async () => {
  if (!todayChanges) return;
  const n = flushes++;
  const line = { tenantId: TENANT.id, messageId: `bench-flush-${n}`, type: 'page', anonymousId: 'bench-flush', timestamp: later, receivedAt: later, isBot: false, properties: {}, context: { page: { path: '/' } }, dimensions: {} };
  await mkdir(flushDir, { recursive: true });
  await writeFile(join(flushDir, `p99-${String(n).padStart(12, '0')}-${String(n + 1).padStart(12, '0')}.ndjson`), `${JSON.stringify(line)}\n`);
};
if (todayChanges) console.log(`a new object of today (${flushDir}) before every question`);

let mismatches = 0;
for (const { label, params } of twoFilterQuestions(lakeNow)) {
  console.log(label);
  const tallies = new Map(apps.map((app) => [app.name, { times: [] as number[], cpu: [] as number[], bodies: new Set<string>() }]));
  for (const app of apps) {
    await flush();
    const first = await ask(app, params);
    tallies.get(app.name)!.bodies.add(first.body);
    console.log(`  ${app.name.padEnd(6)} first ${ms(first.ms)}  CPU ${first.cpu.toFixed(0)} ms  load ${load()}`);
  }
  for (let i = 0; i < RUNS; i++) {
    for (const app of i % 2 ? [...apps].reverse() : apps) {
      await flush();
      const answer = await ask(app, params);
      const tally = tallies.get(app.name)!;
      tally.times.push(answer.ms);
      tally.cpu.push(answer.cpu);
      tally.bodies.add(answer.body);
    }
  }
  const expected = figures((await answerPanel(inProcess, params, TENANT, METRICS, { minuteMs: DEFAULT_RETENTION.minuteMs }, Date.now())) as Parameters<typeof figures>[0]);
  for (const app of apps) {
    const t = tallies.get(app.name)!;
    const cpu = t.cpu.reduce((a, b) => a + b, 0) / t.cpu.length;
    console.log(`  ${app.name.padEnd(6)} p50 ${ms(at(t.times, 0.5))}  p99 ${ms(at(t.times, 0.99))}  max ${ms(Math.max(...t.times))}  app CPU ${cpu.toFixed(1).padStart(5)} ms/question  (${t.times.length} runs, load ${load()})`);
    const wrong = [...t.bodies].filter((body) => body !== expected);
    if (wrong.length) {
      mismatches++;
      console.log(`  !!!!! ${app.name}: ${wrong.length} ANSWER(S) DIFFER from the in-process answer !!!!!\n    http       ${wrong[0]!.slice(0, 300)}\n    in-process ${expected.slice(0, 300)}`);
    }
  }
}

for (const app of apps) console.log(`${app.name.padEnd(6)} RSS after the questions ${rssMb(app.child.pid!).toFixed(0)} MB`);
connection.closeSync();
duckdb.close();
for (const app of apps) await stopApp(app);
for (let n = 0; n < flushes; n++) await rm(join(flushDir, `p99-${String(n).padStart(12, '0')}-${String(n + 1).padStart(12, '0')}.ndjson`), { force: true });
if (!given) await rm(lakeDir, { recursive: true, force: true });
console.log(`load average after: ${load()}${mismatches ? `; ${mismatches} QUESTION(S) WITH ANSWERS THAT DIFFER` : '; every answer equals the in-process one'}`);
if (mismatches) process.exitCode = 1;
