import { Counter, type Registry } from 'prom-client';

/** Prometheus counters of what the collector did with each event, by tenant and reason. */
export interface CollectorMetrics {
  accepted: Counter<'tenant'>;
  bots: Counter<'tenant'>;
  duplicates: Counter<'tenant'>;
  rejected: Counter<'tenant' | 'reason'>;
  unauthorized: Counter<'reason'>;
}

export function createCollectorMetrics(registry: Registry): CollectorMetrics {
  const registers = [registry];
  return {
    accepted: new Counter({ name: 'analytics_events_accepted_total', help: 'Events durably appended to the log (bots included)', labelNames: ['tenant'], registers }),
    bots: new Counter({ name: 'analytics_events_bot_total', help: 'Accepted events flagged as bots by user agent', labelNames: ['tenant'], registers }),
    duplicates: new Counter({ name: 'analytics_events_duplicate_total', help: 'Events skipped as messageId duplicates', labelNames: ['tenant'], registers }),
    rejected: new Counter({ name: 'analytics_events_rejected_total', help: 'Events not accepted, by reason code', labelNames: ['tenant', 'reason'], registers }),
    unauthorized: new Counter({ name: 'analytics_ingest_unauthorized_total', help: 'Ingest requests refused for their write key', labelNames: ['reason'], registers }),
  };
}
