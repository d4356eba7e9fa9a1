/**
 * Publish-to-handle latency and throughput of the event bus, on PGlite and (when reachable) on
 * the real PostgreSQL. Run: `npm run bench:event-bus`.
 * Latency is measured one event at a time from the start of the publishing transaction to the
 * handler starting, so it includes the commit, NOTIFY, the claim and the lease write.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { createLogger } from '@shop/platform';
import { realEngine } from '@shop/platform/testing';
import { createPgDatabase, createPgliteDatabase, migrate, type Database } from '../commerce/src/shared/database/index.ts';
import { defineEvent } from '../commerce/src/shared/events/domain-event.ts';
import { createEventBus } from '../commerce/src/shared/events/event-bus.ts';

const Pinged = defineEvent('bench.pinged.v1', z.object({ n: z.int() }));
const LATENCY_EVENTS = Number(process.env.BENCH_LATENCY_EVENTS ?? 300);
const THROUGHPUT_EVENTS = Number(process.env.BENCH_THROUGHPUT_EVENTS ?? 2000);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function bench(name: string, db: Database): Promise<void> {
  const bus = createEventBus({ db, logger: createLogger('bench', 'silent'), options: { concurrency: 10 } });
  await migrate(db, [bus.migrations]);
  const started = new Map<string, number>();
  const waiting = new Map<string, () => void>();
  const latencies: number[] = [];
  let handled = 0;
  bus.subscribe('bench', Pinged, async (event) => {
    const t0 = started.get(event.id);
    if (t0 !== undefined) latencies.push(performance.now() - t0);
    handled++;
    waiting.get(event.id)?.();
  });
  await bus.start();
  try {
    for (let i = 0; i < LATENCY_EVENTS; i++) {
      const event = Pinged.create({ n: i });
      const done = new Promise<void>((resolve) => waiting.set(event.id, resolve));
      started.set(event.id, performance.now());
      await db.transaction((tx) => bus.publish(tx, event));
      await done;
      waiting.delete(event.id);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `${name}: publish->handle latency over ${sorted.length} events: p50 ${percentile(sorted, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`,
    );

    started.clear();
    handled = 0;
    const t0 = performance.now();
    for (let i = 0; i < THROUGHPUT_EVENTS; i += 100) {
      const batch = Array.from({ length: Math.min(100, THROUGHPUT_EVENTS - i) }, (_, j) => Pinged.create({ n: i + j }));
      await db.transaction((tx) => bus.publish(tx, batch));
    }
    const published = performance.now() - t0;
    while (handled < THROUGHPUT_EVENTS) await new Promise((r) => setTimeout(r, 5));
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      `${name}: ${THROUGHPUT_EVENTS} events published in ${published.toFixed(0)} ms (batches of 100), ` +
        `all handled after ${seconds.toFixed(2)} s: ${(THROUGHPUT_EVENTS / seconds).toFixed(0)} events/s`,
    );
  } finally {
    await bus.stop();
  }
}

const pglite = await createPgliteDatabase();
await bench('pglite', pglite);
await pglite.close();

const postgres = await realEngine('postgres');
if (postgres.available) {
  const name = `bench_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(postgres.url);
  url.pathname = `/${name}`;
  const db = await createPgDatabase(url.toString(), 10);
  try {
    await bench('postgres', db);
  } finally {
    await db.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
} else {
  console.log('postgres: not reachable, skipped');
}
