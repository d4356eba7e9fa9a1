import { Gauge, Histogram, type Registry } from 'prom-client';
import type { EventAdmin } from './event-admin.ts';
import type { EventBusObserver } from './event-handler.ts';

/**
 * Prometheus series for the bus: handler attempts by outcome with their latency from publish,
 * and delivery counts by subscriber and status read from the database at scrape time (so every
 * instance reports the shared truth, not its own share).
 *
 * @example
 * const metrics = createEventBusMetrics(registry, () => events.admin);
 * const events = createEventBus({ db, logger, observer: metrics });
 */
export function createEventBusMetrics(registry: Registry, admin: () => EventAdmin): EventBusObserver {
  const lag = new Histogram({
    name: 'event_delivery_lag_seconds',
    help: 'From the event occurring to a handler attempt starting, by subscriber, type and outcome',
    labelNames: ['subscriber', 'event_type', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'event_handler_duration_seconds',
    help: 'Handler run time by subscriber, type and outcome',
    labelNames: ['subscriber', 'event_type', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'event_deliveries',
    help: 'Deliveries by subscriber and status',
    labelNames: ['subscriber', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const s of await admin().stats()) {
        for (const status of ['pending', 'processing', 'done', 'dead'] as const) this.set({ subscriber: s.subscriber, status }, s[status]);
      }
    },
  });
  return {
    attempted(info) {
      const labels = { subscriber: info.subscriber, event_type: info.eventType, outcome: info.outcome };
      lag.observe(labels, Math.max(0, info.lagMs) / 1000);
      duration.observe(labels, info.durationMs / 1000);
    },
  };
}
