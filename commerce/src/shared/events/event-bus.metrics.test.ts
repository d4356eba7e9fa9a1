import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { EventAdmin } from './event-admin.ts';
import { createEventBusMetrics } from './event-bus.metrics.ts';

describe('event bus metrics', () => {
  it('records attempts with their lag and reads delivery counts at scrape time', async () => {
    const registry = new Registry();
    let dead = 1;
    const admin = {
      stats: async () => [{ subscriber: 'mailer', pending: 2, processing: 0, done: 5, dead, oldestPendingAgeSeconds: 3 }],
    } as Pick<EventAdmin, 'stats'> as EventAdmin;
    const observer = createEventBusMetrics(registry, () => admin);
    observer.attempted({ subscriber: 'mailer', eventType: 'orders.order_created.v1', outcome: 'done', durationMs: 3, lagMs: 20, attempt: 1 });

    const first = await registry.metrics();
    expect(first).toContain('event_delivery_lag_seconds_bucket{le="0.025",subscriber="mailer",event_type="orders.order_created.v1",outcome="done"} 1');
    expect(first).toContain('event_delivery_lag_seconds_bucket{le="0.01",subscriber="mailer",event_type="orders.order_created.v1",outcome="done"} 0');
    expect(first).toContain('event_deliveries{subscriber="mailer",status="dead"} 1');
    dead = 0;
    expect(await registry.metrics()).toContain('event_deliveries{subscriber="mailer",status="dead"} 0');
  });
});
