/**
 * Serving-layer latency: a 30-day daily series across B (targets: p99 under 100 ms) and the last
 * 24 h by minute (p99 under 50 ms), speed layer in process.
 *
 *   npx tsx bench/analytics-serving.ts                # batch side: Parquet views (the app's)
 *   BATCH=memory npx tsx bench/analytics-serving.ts   # batch side: in-process cells
 *
 * With Parquet views the batch job first computes the 29 closed days before B from raw NDJSON
 * written in the archiver's layout (not timed), so B is the start of a UTC day.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeRawLake } from './lib/raw-lake.ts';
import { createBatchViewStore, runBatch } from '../analytics/src/batch/index.ts';
import type { AnalyticsEvent } from '../analytics/src/contracts/event.ts';
import { METRICS, findMetric } from '../analytics/src/contracts/metrics.ts';
import type { MetricQuery } from '../analytics/src/serving/run-query.ts';
import { createMemoryAggregateStore } from '../analytics/src/speed/memory-aggregate-store.ts';
import { PartitionBuffer } from '../analytics/src/speed/partition-buffer.ts';
import type { BatchViews } from '../analytics/src/serving/batch-views.ts';
import { batchViewsFromCoverage } from '../analytics/src/serving/coverage-batch-views.ts';
import { createMemoryBatchViews } from '../analytics/src/serving/memory-batch-views.ts';
import { createServingLayer } from '../analytics/src/serving/serving-layer.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NOW = Date.parse('2026-11-25T12:00:00Z');
const MODE = process.env.BATCH === 'memory' ? 'memory' : 'parquet';
const B = MODE === 'memory' ? NOW - 2 * DAY + 15 * MINUTE : Math.floor((NOW - 2 * DAY) / DAY) * DAY;
const EVENTS_PER_MINUTE = Number(process.env.EVENTS_PER_MINUTE ?? 3);
const ITERATIONS = Number(process.env.ITERATIONS ?? 200);

function events(): AnalyticsEvent[] {
  const out: AnalyticsEvent[] = [];
  for (let t = NOW - 31 * DAY, i = 0; t < NOW; t += MINUTE) {
    for (let k = 0; k < EVENTS_PER_MINUTE; k++, i++) {
      const at = new Date(t + k * 1000).toISOString();
      out.push({
        tenantId: 'bench',
        messageId: `m${i}`,
        type: 'page',
        userId: `u${i % 5000}`,
        timestamp: at,
        receivedAt: at,
        properties: {},
        context: { page: { path: `/p${i % 40}`, referrer: `https://r${i % 7}.example/` }, sessionId: `s${i % 900}` },
        isBot: false,
      });
    }
  }
  return out;
}

const speed = createMemoryAggregateStore({ now: () => NOW });
const all = events();
const fold = (list: AnalyticsEvent[]) => {
  const buffer = new PartitionBuffer(0, 0, METRICS, Number.MAX_SAFE_INTEGER / 4);
  list.forEach((e, i) => buffer.add(i, e, NOW));
  return buffer.toBatch();
};
await speed.applyBatch([fold(all)]);

let batch: BatchViews;
let closeBatch: () => Promise<void>;
if (MODE === 'memory') {
  const memory = createMemoryBatchViews();
  await memory.apply(fold(all.filter((e) => Math.floor(Date.parse(e.timestamp) / (15 * MINUTE)) * 15 * MINUTE + 15 * MINUTE <= B)).cells);
  memory.setWatermark('bench', B);
  batch = memory;
  closeBatch = () => memory.close();
} else {
  // Raw NDJSON per receive hour, as the archiver writes it, then the batch job up to B.
  const lake = await mkdtemp(join(tmpdir(), 'serving-bench-'));
  await writeRawLake(lake, all);
  const started = performance.now();
  const run = await runBatch({ lake, tenants: ['bench'], now: B + 6 * MINUTE, from: new Date(NOW - 31 * DAY).toISOString().slice(0, 10), to: new Date(B - DAY).toISOString().slice(0, 10) });
  console.log(`batch job: ${run.periods.length} days in ${((performance.now() - started) / 1000).toFixed(1)} s, B = ${new Date(run.watermarks.bench ?? 0).toISOString()}`);
  const store = createBatchViewStore({ lake });
  batch = batchViewsFromCoverage(store);
  closeBatch = async () => {
    await store.close();
    await rm(lake, { recursive: true, force: true });
  };
}
const serving = createServingLayer({ speed, batch, now: () => NOW });

async function measure(label: string, query: MetricQuery) {
  for (let i = 0; i < 10; i++) await serving.query(query); // warm-up
  const times: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = performance.now();
    const outcome = await serving.query(query);
    times.push(performance.now() - start);
    if (!outcome.ok) throw new Error(outcome.error.message);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!.toFixed(1);
  console.log(`${label.padEnd(44)} p50 ${at(0.5).padStart(6)} ms  p99 ${at(0.99).padStart(6)} ms  max ${times.at(-1)!.toFixed(1).padStart(6)} ms`);
}

console.log(`${all.length} events over 31 days (${EVENTS_PER_MINUTE}/min), batch views: ${MODE}, B = ${new Date(B).toISOString()}, ${ITERATIONS} runs each`);
const base = { tenantId: 'bench', timeZone: 'Asia/Kathmandu', limit: 10 };
for (const name of ['pageviews', 'unique_users', 'top_pages']) {
  const metric = findMetric(name)!;
  await measure(`30 days by day, ${name}`, { ...base, metric, granularity: 'day', from: NOW - 30 * DAY, to: NOW });
  await measure(`24 h by minute, ${name}`, { ...base, metric, granularity: 'minute', from: NOW - DAY, to: NOW });
}
await measure('30 days by day, pageviews by path', { ...base, metric: findMetric('pageviews')!, granularity: 'day', from: NOW - 30 * DAY, to: NOW, breakdown: 'context.page.path' });
await speed.close();
await closeBatch();
