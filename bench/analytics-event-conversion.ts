/**
 * The collector's per-event work without HTTP or storage: `toAnalyticsEvent` (shape, size, depth,
 * schema, time correction and bounds, canonical form) over batches of 100 ingest-benchmark events.
 * `npm run bench:event-conversion`; BENCH_EVENTS (default 300,000), best of BENCH_ROUNDS (default 5).
 * Prints events/s and CPU ms per 1,000 events (this process, /proc): the figure other load inflates least.
 */
import { randomUUID } from 'node:crypto';
import { toAnalyticsEvent, type RequestContext } from '../analytics/src/collector/to-analytics-event.ts';
import { cpuMsPerThousand, cpuSeconds } from './lib/proc-cpu.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 300_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = 100;

const now = new Date();
const batches = Array.from({ length: EVENTS / BATCH }, (_, b) => ({
  sentAt: now.toISOString(),
  context: { library: { name: 'bench', version: '1' } },
  batch: Array.from({ length: BATCH }, (_, i) => ({
    type: 'track',
    event: 'Bench Event',
    messageId: randomUUID(),
    anonymousId: `a${(b * BATCH + i) % 5000}`,
    properties: { plan: 'bench', value: 1 },
    context: { page: { path: '/bench' } },
    timestamp: now.toISOString(),
  })),
}));

let best = { ms: Infinity, cpu: '' };
for (let round = 0; round < ROUNDS; round++) {
  const cpuBefore = cpuSeconds();
  const started = performance.now();
  let accepted = 0;
  for (const body of batches) {
    const request: RequestContext = { tenantId: 't', receivedAt: new Date(), sentAt: body.sentAt, context: body.context, userAgent: 'Mozilla/5.0 bench', maxEventBytes: 32_768, maxEventAgeDays: 730 };
    body.batch.forEach((raw, index) => {
      if (toAnalyticsEvent(raw, undefined, index, request).ok) accepted++;
    });
  }
  const ms = performance.now() - started;
  if (accepted !== EVENTS) throw new Error(`only ${accepted} of ${EVENTS} events converted`);
  const cpu = cpuMsPerThousand(cpuBefore, cpuSeconds(), EVENTS);
  console.log(`round ${round + 1}: ${Math.round((EVENTS / ms) * 1000)} events/s, ${cpu} ms CPU per 1,000 events`);
  if (ms < best.ms) best = { ms, cpu };
}
console.log(`\n${new Date().toISOString()}  event conversion, ${EVENTS} events in batches of ${BATCH}: best of ${ROUNDS} ${Math.round((EVENTS / best.ms) * 1000)} events/s, ${best.cpu} ms CPU per 1,000 events`);
