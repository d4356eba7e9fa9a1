/**
 * Serving-layer latency on the in-process stores: a 30-day daily series across B (targets: p99
 * under 100 ms) and the last 24 h by minute (p99 under 50 ms).
 *
 *   npx tsx analytics/src/serving/serving.bench.ts
 */
import { performance } from 'node:perf_hooks';
import type { AnalyticsEvent } from '../contracts/event.ts';
import { METRICS, findMetric } from '../contracts/metrics.ts';
import type { MetricQuery } from '../query/run-query.ts';
import { createMemoryAggregateStore } from '../speed/memory-aggregate-store.ts';
import { PartitionBuffer } from '../speed/partition-buffer.ts';
import { createMemoryBatchViews } from './memory-batch-views.ts';
import { createServingLayer } from './serving-layer.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NOW = Date.parse('2026-11-25T12:00:00Z');
const B = NOW - 2 * DAY + 15 * MINUTE;
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
const batch = createMemoryBatchViews();
const all = events();
const fold = (list: AnalyticsEvent[]) => {
  const buffer = new PartitionBuffer(0, 0, METRICS, Number.MAX_SAFE_INTEGER / 4);
  list.forEach((e, i) => buffer.add(i, e, NOW));
  return buffer.toBatch();
};
await speed.applyBatch([fold(all)]);
await batch.apply(fold(all.filter((e) => Math.floor(Date.parse(e.timestamp) / (15 * MINUTE)) * 15 * MINUTE + 15 * MINUTE <= B)).cells);
batch.setWatermark('bench', B);
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

console.log(`${all.length} events over 31 days (${EVENTS_PER_MINUTE}/min), B = ${new Date(B).toISOString()}, ${ITERATIONS} runs each`);
const base = { tenantId: 'bench', timeZone: 'Asia/Kathmandu', limit: 10 };
for (const name of ['pageviews', 'unique_users', 'top_pages']) {
  const metric = findMetric(name)!;
  await measure(`30 days by day, ${name}`, { ...base, metric, granularity: 'day', from: NOW - 30 * DAY, to: NOW });
  await measure(`24 h by minute, ${name}`, { ...base, metric, granularity: 'minute', from: NOW - DAY, to: NOW });
}
await measure('30 days by day, pageviews by path', { ...base, metric: findMetric('pageviews')!, granularity: 'day', from: NOW - 30 * DAY, to: NOW, breakdown: 'context.page.path' });
await speed.close();
await batch.close();
