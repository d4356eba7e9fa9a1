import type { AggregateStore, MetricDeclaration } from '../contracts/index.ts';
import type { BatchViews } from './batch-views.ts';
import type { DriftStore } from './drift-store.ts';
import { reconcile, type ReconcileReport } from './reconcile.ts';
import type { ReconciliationMetrics } from './reconciliation-metrics.ts';

export interface ReconciliationLoopOptions {
  speed: AggregateStore;
  batch: BatchViews;
  drift: DriftStore;
  metrics: readonly MetricDeclaration[];
  /** The tenants to check each round. */
  tenantIds: () => Promise<string[]>;
  observer?: ReconciliationMetrics;
  /** How far back before B each round re-checks (late events can still change the speed layer). Default 6 h. */
  lookbackMs?: number;
  /** Default 5 minutes. */
  intervalMs?: number;
  now?: () => number;
  onError?: (error: unknown, tenantId: string) => void;
}

export interface ReconciliationLoop {
  /** One round over every tenant now; the timer calls the same. */
  runOnce(): Promise<ReconcileReport[]>;
  stop(): Promise<void>;
}

/**
 * Re-checks, every `intervalMs`, each tenant's quarter hours in [B − lookback, B): the closed
 * periods the batch covered most recently, while the speed layer still holds them.
 */
export function startReconciliationLoop(options: ReconciliationLoopOptions): ReconciliationLoop {
  const now = options.now ?? Date.now;
  const lookbackMs = options.lookbackMs ?? 6 * 3_600_000;
  let running: Promise<ReconcileReport[]> | null = null;

  const round = async (): Promise<ReconcileReport[]> => {
    const reports: ReconcileReport[] = [];
    for (const tenantId of await options.tenantIds()) {
      try {
        const watermark = await options.batch.watermark(tenantId);
        if (watermark === null) continue;
        const report = await reconcile({
          ...options,
          tenantId,
          periods: [{ from: watermark - lookbackMs, to: watermark }],
          now: now(),
        });
        reports.push(report);
      } catch (error) {
        options.onError?.(error, tenantId);
      }
    }
    return reports;
  };
  const runOnce = () => (running ??= round().finally(() => (running = null)));
  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 300_000);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
