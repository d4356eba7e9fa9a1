import { createMetricsRegistry, createServer, type HttpServer } from '@shop/platform';
import { pino } from 'pino';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { registerQueryRoutes, type QueryRoutes } from '../../src/query/query-routes.ts';
import type { QueryTenant } from '../../src/query/read-key.ts';
import type { AggregateStore } from '../../src/contracts/aggregate-store.ts';
import { createMemoryAggregateStore } from '../../src/speed/memory-aggregate-store.ts';
import { PartitionBuffer } from '../../src/speed/partition-buffer.ts';

export const KEYS: Record<string, QueryTenant> = {
  'read-acme': { id: 'acme', timeZone: 'UTC' },
  'read-globex': { id: 'globex', timeZone: 'Asia/Kolkata' },
};

/** A query app over an in-process store whose clock (and the routes') is `now`. */
export async function queryApp(now: number, options: { streamIntervalMs?: number } = {}) {
  const store = createMemoryAggregateStore({ now: () => now });
  const app: HttpServer = await createServer({
    logger: pino({ level: 'silent' }),
    title: 'analytics query test',
    description: '',
    metrics: createMetricsRegistry('analytics_query_test'),
  });
  let routes: QueryRoutes | undefined;
  await app.register(async (scope) => {
    routes = await registerQueryRoutes(scope, {
      store,
      tenants: { resolveReadKey: async (key) => KEYS[key] ?? null },
      now: () => now,
      ...options,
    });
  });
  await app.ready();
  let offset = 0;
  /** Writes events through the same fold the speed layer uses, as one applied batch. */
  const ingest = async (events: AnalyticsEvent[]) => {
    const buffer = new PartitionBuffer(0, offset, METRICS, store.retention.minuteMs);
    for (const event of events) buffer.add(offset++, event, now);
    await store.applyBatch([buffer.toBatch()]);
  };
  return { app, store: store as AggregateStore, ingest, openStreams: () => routes?.openStreams() ?? 0 };
}

export function auth(key: string) {
  return { authorization: `Bearer ${key}` };
}
