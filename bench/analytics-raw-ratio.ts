/**
 * 30-day panels with filters on two dimensions, answered from the raw events (the batch's columnar
 * copies up to B, NDJSON after) as `/v1/query` answers them: ratios with their compared period,
 * goal metrics, single metrics. Per question: DuckDB statements, raw-file reads named in them,
 * this process's CPU (DuckDB runs in it) and wall time. With BENCH_BASE_ROOT=<a checkout of
 * another commit> the same questions are also answered by that code over the same lake,
 * alternating question by question; its refusals are printed.
 *
 *   NODE_OPTIONS=--max-old-space-size=8192 BENCH_BASE_ROOT=/tmp/main-checkout npx tsx bench/analytics-raw-ratio.ts   # ITERATIONS=10 EVENTS_PER_MINUTE=3 BENCH_LAKE=/tmp/lake
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { processCpuMs } from './lib/proc-cpu.ts';
import { DAY, NOW } from './lib/query-30d-events.ts';
import { query30dLake } from './lib/query-30d-lake.ts';
import { BENCH_GOALS, twoFilterQuestions } from './lib/query-30d-questions.ts';
import { funnelReport, goalReport, openDuckDb, retentionReport } from '../analytics/src/batch/index.ts';
import { METRICS } from '../analytics/src/contracts/metrics.ts';
import { type Answer, answerPanel } from '../analytics/src/query/answer-panel.ts';
import { answerAllFromRawEvents, answerFromRawEvents } from '../analytics/src/query/combined-filter.ts';
import type { QueryString } from '../analytics/src/query/query-params.ts';
import { localObjectStore } from '../analytics/src/storage/index.ts';

const ITERATIONS = Number(process.env.ITERATIONS ?? 10);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

// BENCH_LAKE=<dir>: a lake an earlier run left there (written and compacted once, then read by every run; kept).
const given = process.env.BENCH_LAKE;
const dir = given ?? (await mkdtemp(join(tmpdir(), 'raw-ratio-bench-')));
await query30dLake(dir);
console.log(`lake ${dir}; load average ${load()}`);

const duckdb = await openDuckDb({ threads: 2 });
const connection = await duckdb.connect();
const lake = localObjectStore(dir);
const goals = BENCH_GOALS;

/** Statements run (`run` and `runAndReadAll`) and raw-file reads (read_json / read_parquet calls) named in them. */
const counts = { statements: 0, reads: 0 };
const countedOf = (connection: DuckDBConnection) => new Proxy(connection, {
  get(target, name, receiver) {
    if (name === 'runAndReadAll' || name === 'run') {
      return (sql: string) => {
        counts.statements++;
        counts.reads += sql.match(/read_(json|parquet)\(/g)?.length ?? 0;
        return name === 'run' ? target.run(sql) : target.runAndReadAll(sql);
      };
    }
    const value = Reflect.get(target, name, receiver) as unknown;
    return typeof value === 'function' ? value.bind(target) : value;
  },
}) as DuckDBConnection;
const counted = countedOf(connection);
// The other code holds its own days and answers on a connection of its own, as a second API instance would.
const baseConnection = process.env.BENCH_BASE_ROOT ? await duckdb.connect() : null;

const after: Answer = Object.assign(async (query: Parameters<Answer>[0], at: number) => answerFromRawEvents(counted, lake, { ...query, combined: query.combined ?? [] }, at, { goals }), {
  together: (queries: Parameters<NonNullable<Answer['together']>>[0], at: number) => answerAllFromRawEvents(counted, lake, queries, at, { goals }),
});
type Panel = typeof answerPanel;
type Single = typeof answerFromRawEvents;
type All = typeof answerAllFromRawEvents;
const base = process.env.BENCH_BASE_ROOT
  ? {
      panel: ((await import(join(process.env.BENCH_BASE_ROOT, 'analytics/src/query/answer-panel.ts'))) as { answerPanel: Panel }).answerPanel,
      ...((await import(join(process.env.BENCH_BASE_ROOT, 'analytics/src/query/combined-filter.ts'))) as { answerFromRawEvents: Single; answerAllFromRawEvents: All }),
    }
  : null;
const baseCounted = baseConnection ? countedOf(baseConnection) : null;
const before: Answer | null =
  base && baseCounted
    ? Object.assign(async (query: Parameters<Answer>[0], at: number) => base.answerFromRawEvents(baseCounted, lake, { ...query, combined: query.combined ?? [] }, at, { goals }), {
        together: (queries: Parameters<NonNullable<Answer['together']>>[0], at: number) => base.answerAllFromRawEvents(baseCounted, lake, queries, at, { goals }),
      })
    : null;

const tenant = { id: 'bench', timeZone: 'Europe/Paris' };
const reach = { minuteMs: 49 * 3_600_000 };
interface Tally {
  times: number[];
  cpu: number[];
  statements: number;
  reads: number;
}

async function once(panel: Panel, answer: Answer, params: QueryString, tally: Tally) {
  const [statements, reads] = [counts.statements, counts.reads];
  const cpu = processCpuMs(process.pid)!;
  const start = performance.now();
  await panel(answer, params, tenant, METRICS, reach, NOW);
  tally.times.push(performance.now() - start);
  tally.cpu.push(processCpuMs(process.pid)! - cpu);
  tally.statements = counts.statements - statements;
  tally.reads = counts.reads - reads;
}

function report(label: string, t: Tally) {
  const at = (list: number[], p: number) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.ceil(p * list.length) - 1)]!;
  const cpu = t.cpu.reduce((a, b) => a + b, 0) / t.cpu.length;
  console.log(
    `  ${label.padEnd(7)} statements ${String(t.statements).padStart(2)}  file reads ${String(t.reads).padStart(2)}  p50 ${at(t.times, 0.5).toFixed(1).padStart(7)} ms  p99 ${at(t.times, 0.99).toFixed(1).padStart(7)} ms  CPU ${cpu.toFixed(0).padStart(5)} ms/question  (${t.times.length} runs, load ${load()})`,
  );
}

async function question(label: string, params: QueryString) {
  console.log(label);
  const tallies = { after: { times: [], cpu: [], statements: 0, reads: 0 } as Tally, before: { times: [], cpu: [], statements: 0, reads: 0 } as Tally };
  let baseRefused: string | null = null;
  try {
    // The first answer of each code loads what it holds for the next ones; both must agree.
    const cpu = processCpuMs(process.pid)!;
    const start = performance.now();
    const mine = await answerPanel(after, params, tenant, METRICS, reach, NOW);
    console.log(`  first   ${(performance.now() - start).toFixed(0)} ms, CPU ${(processCpuMs(process.pid)! - cpu).toFixed(0)} ms`);
    if (base && before) {
      const theirs = await base.panel(before, params, tenant, METRICS, reach, NOW).catch((error: Error) => void (baseRefused = error.message));
      if (theirs && JSON.stringify(theirs) !== JSON.stringify(mine)) console.log('  ANSWERS DIFFER from the base checkout');
    }
  } catch (error) {
    console.log(`  refused: ${(error as Error).message}`);
    return;
  }
  for (let i = 0; i < ITERATIONS; i++) {
    const order = i % 2 ? ['before', 'after'] : ['after', 'before'];
    for (const which of order) {
      if (which === 'after') await once(answerPanel, after, params, tallies.after);
      else if (base && before && baseRefused === null) await once(base.panel, before, params, tallies.before);
    }
  }
  if (base) {
    if (baseRefused !== null) console.log(`  before  refused: ${baseRefused}`);
    else report('before', tallies.before);
  }
  report('after', tallies.after);
}

for (const { label, params } of twoFilterQuestions()) await question(label, params);

type Reports = { goalReport: typeof goalReport; funnelReport: typeof funnelReport; retentionReport: typeof retentionReport };
const baseReports = process.env.BENCH_BASE_ROOT ? ((await import(join(process.env.BENCH_BASE_ROOT, 'analytics/src/batch/index.ts'))) as Reports) : null;

/** A report over the same 30 days, each code on its own connection (its held days), alternating run by run. */
async function report30d(label: string, ask: (reports: Reports, connection: DuckDBConnection) => Promise<unknown>) {
  console.log(label);
  const codes = [
    { name: 'after', reports: { goalReport, funnelReport, retentionReport }, connection: counted, tally: { times: [], cpu: [], statements: 0, reads: 0 } as Tally },
    ...(baseReports && baseCounted ? [{ name: 'before', reports: baseReports, connection: baseCounted, tally: { times: [], cpu: [], statements: 0, reads: 0 } as Tally }] : []),
  ];
  for (const code of codes) await ask(code.reports, code.connection);
  for (let i = 0; i < ITERATIONS; i++) {
    for (const code of i % 2 ? [...codes].reverse() : codes) {
      const [statements, reads] = [counts.statements, counts.reads];
      const cpu = processCpuMs(process.pid)!;
      const start = performance.now();
      await ask(code.reports, code.connection);
      code.tally.times.push(performance.now() - start);
      code.tally.cpu.push(processCpuMs(process.pid)! - cpu);
      code.tally.statements = counts.statements - statements;
      code.tally.reads = counts.reads - reads;
    }
  }
  for (const code of [...codes].reverse()) report(code.name, code.tally);
}
const span = { tenantId: 'bench', from: NOW - 30 * DAY, to: NOW };
await report30d('goal report, 30 days', (r, c) => r.goalReport(c, lake, span, goals));
await report30d('funnel /p1 → /p2 → Signed Up, 30 days', (r, c) => r.funnelReport(c, lake, span, [{ kind: 'page', path: '/p1' }, { kind: 'page', path: '/p2' }, { kind: 'event', event: 'Signed Up' }], 3_600_000));
await report30d('retention by week, 30 days', (r, c) => r.retentionReport(c, lake, span, 'week'));

connection.closeSync();
baseConnection?.closeSync();
duckdb.close();
if (!given) await rm(dir, { recursive: true, force: true });
console.log(`load average after: ${load()}`);
