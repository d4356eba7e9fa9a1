import type { GoalDefinition, MetricDeclaration } from '../contracts/index.ts';
import type { LakeStore } from './lake-store.ts';
import { discoverTenants, runBatch, type BatchRunResult } from './run-batch.ts';

export interface BatchScheduleOptions {
  lake: LakeStore | string;
  /** Tenants to run; default: every tenant with raw data in the lake. */
  tenants?: () => Promise<readonly string[]>;
  everyMs: number;
  graceMs?: number;
  metrics?: readonly MetricDeclaration[];
  threads?: number;
  /** Each tenant's visit timeout in ms; default 30 minutes. */
  visitTimeout?: (tenantId: string) => number;
  /** Each tenant's goals; a change recomputes the tenant's history (see RunBatchOptions.goals). */
  goals?: (tenantId: string) => Promise<readonly GoalDefinition[]>;
  now?: () => number;
  onRun?: (result: BatchRunResult) => void;
  onError?: (error: unknown) => void;
}

export interface BatchSchedule {
  /** Runs once now (or waits for the run in progress) and resolves with its result. */
  runNow(): Promise<BatchRunResult>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Runs the batch every `everyMs` for `npm start`: each run computes whatever periods closed since
 * the watermark, so a missed tick or a restart only delays work. Runs never overlap.
 *
 * @example
 * const batch = startBatchSchedule({ lake: `${DATA_DIR}/analytics/lake`, everyMs: 60_000, onError: (e) => logger.error(e) });
 */
export function startBatchSchedule(options: BatchScheduleOptions): BatchSchedule {
  const now = options.now ?? Date.now;
  let running: Promise<BatchRunResult> | null = null;
  let stopped = false;

  const runOnce = (): Promise<BatchRunResult> => {
    running ??= (async () => {
      try {
        const tenants = options.tenants ? await options.tenants() : await discoverTenants(options.lake);
        const result = await runBatch({ lake: options.lake, tenants, now: now(), graceMs: options.graceMs, metrics: options.metrics, threads: options.threads, visitTimeout: options.visitTimeout, ...(options.goals ? { goals: options.goals } : {}) });
        options.onRun?.(result);
        return result;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const tick = () => {
    if (stopped) return;
    runOnce()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.everyMs).unref();
      });
  };
  let timer: NodeJS.Timeout = setTimeout(tick, 0).unref();

  return {
    runNow: runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
