import { Counter, Gauge, type Registry } from 'prom-client';
import type { DriftRecord } from './drift-store.ts';

/** What reconciliation reports to Prometheus. */
export interface ReconciliationMetrics {
  observe(tenantId: string, metric: string, records: readonly DriftRecord[], newlyFlagged: number): void;
}

export function createReconciliationMetrics(registry: Registry): ReconciliationMetrics {
  const drift = new Gauge({
    name: 'analytics_reconciliation_drift',
    help: 'Largest relative drift |speed - batch| / max(|batch|, 1) among the quarter hours of the latest reconciliation',
    labelNames: ['tenant', 'metric'],
    registers: [registry],
  });
  const flagged = new Counter({
    name: 'analytics_reconciliation_flagged_periods_total',
    help: 'Quarter hours whose speed and batch values disagreed beyond tolerance, counted once when first flagged',
    labelNames: ['tenant', 'metric'],
    registers: [registry],
  });
  return {
    observe(tenantId, metric, records, newlyFlagged) {
      if (records.length === 0) return;
      drift.set({ tenant: tenantId, metric }, Math.max(...records.map((r) => r.relativeDrift)));
      if (newlyFlagged > 0) flagged.inc({ tenant: tenantId, metric }, newlyFlagged);
    },
  };
}
