/**
 * A dashboard question over 30 days: a filtered panel with its comparison period, through the
 * serving layer (Parquet batch views up to B, the speed layer after), as `/v1/query` answers it
 * (target p99 under 100 ms). Also the visits ratio panels, and a 30-day goal report read from the
 * raw events, and 30-day panels with filters on two dimensions, which only the raw events answer
 * (target p99 under 100 ms): the batch's columnar copies up to B, NDJSON after (ADR-0086), among
 * them visit metrics folded from the raw events per question (ADR-0095).
 * BENCH_BASE_ROOT=<a checkout of the NDJSON-only code> answers the raw questions with that code
 * too, alternating with this one's, over the same lake.
 *
 *   npm run bench:query-30d                      # ITERATIONS=200 RAW_ITERATIONS=30 EVENTS_PER_MINUTE=3
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeRawLake } from './lib/raw-lake.ts';
import { createBatchViewStore, goalReport, openDuckDb, runBatch } from '../analytics/src/batch/index.ts';
import { query30dEvents, BATCH_WATERMARK, DAY, EVENTS_PER_MINUTE, MINUTE, NOW } from './lib/query-30d-events.ts';
import { METRICS } from '../analytics/src/contracts/metrics.ts';
import { answerPanel, type Answer } from '../analytics/src/query/answer-panel.ts';
import type { QueryString } from '../analytics/src/query/query-params.ts';
import { answerAllFromRawEvents, answerFromRawEvents, type PanelQuery, type RawPanelQuery } from '../analytics/src/query/combined-filter.ts';
import { createMemoryAggregateStore } from '../analytics/src/speed/memory-aggregate-store.ts';
import { PartitionBuffer } from '../analytics/src/speed/partition-buffer.ts';
import { VisitBook } from '../analytics/src/speed/visit-book.ts';
import { batchViewsFromCoverage } from '../analytics/src/serving/coverage-batch-views.ts';
import { createServingLayer } from '../analytics/src/serving/serving-layer.ts';
import { localObjectStore } from '../analytics/src/storage/index.ts';

const B = BATCH_WATERMARK;
const ITERATIONS = Number(process.env.ITERATIONS ?? 200);

/** Memory at each stage (RSS and the V8 heap), to see which stage holds what. */
const mb = (n: number) => `${(n / 1_048_576).toFixed(0)} MB`;
function memory(stage: string) {
  const m = process.memoryUsage();
  console.log(`memory after ${stage.padEnd(34)} rss ${mb(m.rss).padStart(8)}  heap used ${mb(m.heapUsed).padStart(8)}  external ${mb(m.external).padStart(8)}  array buffers ${mb(m.arrayBuffers).padStart(8)}`);
}

memory('start');
const all = query30dEvents(NOW, EVENTS_PER_MINUTE);
memory('generating the events');
const speed = createMemoryAggregateStore({ now: () => NOW, retention: { minuteMs: 49 * 3_600_000, quarterMs: 70 * DAY } });
/*
 * Folded an hour at a time, as the live speed layer folds and applies one flush after another
 * (one visit book throughout, so visits span the flushes). Folding the 62 days into one buffer
 * held every minute cell of every day at once (about 35 KB per event: some 3 GB at one event a
 * minute) although the store keeps 49 hours of minutes: that was most of this benchmark's memory.
 */
const visitBook = new VisitBook();
for (let from = 0; from < all.length; ) {
  const hourEnd = Math.floor(Date.parse(all[from]!.timestamp) / 3_600_000 + 1) * 3_600_000;
  const buffer = new PartitionBuffer(0, from, METRICS, Number.MAX_SAFE_INTEGER / 4, visitBook);
  for (; from < all.length && Date.parse(all[from]!.timestamp) < hourEnd; from++) buffer.add(from, all[from]!, NOW);
  await speed.applyBatch([buffer.toBatch()]);
  buffer.commitVisits();
}
memory('the speed fold, an hour at a time');

const lake = await mkdtemp(join(tmpdir(), 'query-30d-bench-'));
await writeRawLake(lake, all);
memory('writing the raw lake');
const started = performance.now();
const run = await runBatch({ lake, tenants: ['bench'], now: B + 6 * MINUTE, from: new Date(NOW - 62 * DAY).toISOString().slice(0, 10), to: new Date(B - DAY).toISOString().slice(0, 10) });
memory('the batch job');
console.log(`batch job: ${run.periods.length} days in ${((performance.now() - started) / 1000).toFixed(1)} s, B = ${new Date(run.watermarks.bench ?? 0).toISOString()}`);
const views = createBatchViewStore({ lake });
const serving = createServingLayer({ speed, batch: batchViewsFromCoverage(views), now: () => NOW });
// As /v1/query routes it: filters the stored cells cannot combine go to the raw events.
const duckdb = await openDuckDb({ threads: 2 });
const connection = await duckdb.connect();
const rawLake = localObjectStore(lake);
const goals = [{ id: 'pro', kind: 'event' as const, event: 'Signed Up', properties: { plan: 'pro' } }];
// A panel's raw-event queries (a ratio's sides, the compared period) in one statement, as the route answers them.
const answer: Answer = Object.assign(
  async (query: PanelQuery, at: number) => {
    const { combined } = query;
    if (combined) return answerFromRawEvents(connection, rawLake, { ...query, combined }, at, { goals });
    const outcome = await serving.query(query, at);
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.value;
  },
  { together: (queries: readonly RawPanelQuery[], at: number) => answerAllFromRawEvents(connection, rawLake, queries, at, { goals }) },
);
const tenant = { id: 'bench', timeZone: 'Europe/Paris' };
const reach = { minuteMs: 49 * 3_600_000 };

function report(label: string, times: number[]) {
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!.toFixed(1);
  console.log(`${label.padEnd(62)} p50 ${at(0.5).padStart(7)} ms  p95 ${at(0.95).padStart(7)} ms  p99 ${at(0.99).padStart(7)} ms  (${times.length} runs)`);
}

async function measure(label: string, params: QueryString, iterations = ITERATIONS) {
  try {
    await answerPanel(answer, params, tenant, METRICS, reach, NOW);
  } catch (error) {
    // Code that refuses the question (a 400 through the API) says so instead of a time.
    console.log(`${label.padEnd(62)} refused: ${(error as Error).message}`);
    return;
  }
  for (let i = 0; i < 10; i++) await answerPanel(answer, params, tenant, METRICS, reach, NOW);
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await answerPanel(answer, params, tenant, METRICS, reach, NOW);
    times.push(performance.now() - start);
  }
  report(label, times);
}

/*
 * With BENCH_BASE_ROOT=<a checkout of the code before the columnar copy>, a raw-event panel is
 * also answered by that code (NDJSON only) over the same lake, alternating with this code's.
 */
const base = process.env.BENCH_BASE_ROOT
  ? {
      combined: (await import(join(process.env.BENCH_BASE_ROOT, 'analytics/src/query/combined-filter.ts'))) as { answerFromRawEvents: typeof answerFromRawEvents },
      batch: (await import(join(process.env.BENCH_BASE_ROOT, 'analytics/src/batch/index.ts'))) as { goalReport: typeof goalReport },
    }
  : null;
const baseAnswer: Answer = async (query, at) => {
  const { combined } = query;
  if (combined && base) return base.combined.answerFromRawEvents(connection, rawLake, { ...query, combined }, at);
  return answer(query, at);
};

async function measureRaw(label: string, params: QueryString, iterations: number) {
  if (!base) return measure(`${label} (raw)`, params, iterations);
  for (let i = 0; i < 5; i++) {
    await answerPanel(answer, params, tenant, METRICS, reach, NOW);
    await answerPanel(baseAnswer, params, tenant, METRICS, reach, NOW);
  }
  const before: number[] = [];
  const after: number[] = [];
  for (let i = 0; i < iterations; i++) {
    for (const [fn, times] of i % 2 ? ([[baseAnswer, before], [answer, after]] as const) : ([[answer, after], [baseAnswer, before]] as const)) {
      const start = performance.now();
      await answerPanel(fn, params, tenant, METRICS, reach, NOW);
      times.push(performance.now() - start);
    }
  }
  report(`${label} (raw, before: NDJSON)`, before);
  report(`${label} (raw, after: copies + today's NDJSON)`, after);
}

console.log(`${all.length} events over 62 days (${EVENTS_PER_MINUTE}/min); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const range = { granularity: 'day' as const, from: new Date(NOW - 30 * DAY).toISOString(), to: new Date(NOW).toISOString() };
await measure('visits, filter source=newsletter, compare previous 30 days', { ...range, metric: 'visits', filter: 'context.campaign.source:newsletter', compare: 'previous' });
await measure('bounce_rate, filter source=google, compare previous', { ...range, metric: 'bounce_rate', filter: 'context.campaign.source:google', compare: 'previous' });
await measure('pageviews by path, no filter', { ...range, metric: 'pageviews', breakdown: 'context.page.path' });
const RAW_ITERATIONS = Number(process.env.RAW_ITERATIONS ?? 30);
await measureRaw('pageviews, country:GB AND browser:Firefox, by device', { ...range, metric: 'pageviews', filter: ['country:GB', 'browser:Firefox'], breakdown: 'device' }, RAW_ITERATIONS);
await measureRaw('unique_users, country:GB AND device:mobile', { ...range, metric: 'unique_users', filter: ['country:GB', 'device:mobile'] }, RAW_ITERATIONS);
// Visit metrics under two filters: visits folded from the raw events, kept by their entry event.
await measure('visits, country:GB AND device:mobile (raw)', { ...range, metric: 'visits', filter: ['country:GB', 'device:mobile'] }, RAW_ITERATIONS);
await measure('bounce_rate, country:GB AND browser:Firefox, compare (raw)', { ...range, metric: 'bounce_rate', filter: ['country:GB', 'browser:Firefox'], compare: 'previous' }, RAW_ITERATIONS);
await measure('top_pages, country:GB AND device:mobile (raw)', { ...range, metric: 'top_pages', filter: ['country:GB', 'device:mobile'] }, RAW_ITERATIONS);
await measure('goal_conversions, country:GB AND device:mobile, compare (raw)', { ...range, metric: 'goal_conversions', filter: ['country:GB', 'device:mobile'], compare: 'previous' }, RAW_ITERATIONS);
await measure('goal_conversion_rate, goal:pro AND country:GB (raw)', { ...range, metric: 'goal_conversion_rate', filter: ['goal:pro', 'country:GB'] }, RAW_ITERATIONS);
for (const [label, report30] of [
  ['goal report over 30 days (copies + today)', goalReport],
  ...(base ? ([['goal report over 30 days (before: NDJSON)', base.batch.goalReport]] as const) : []),
] as const) {
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    await report30(connection, rawLake, { tenantId: 'bench', from: NOW - 30 * DAY, to: NOW }, goals);
    times.push(performance.now() - start);
  }
  report(label, times);
}
memory('the questions');
connection.closeSync();
duckdb.close();
await speed.close();
await views.close();
await rm(lake, { recursive: true, force: true });
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
