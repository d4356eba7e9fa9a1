import { setTimeout as sleep } from 'node:timers/promises';

export interface SteadyLoadReport {
  /** Calls started. */
  calls: number;
  /** Attempts that failed and were tried again. */
  retries: number;
  /** Milliseconds from a call's first attempt to its success, in start order. */
  latencies: { startedAt: number; ms: number; retries: number }[];
}

/**
 * Starts `call(i)` every `everyMs` for `durationMs`, open loop: a slow call does not hold back
 * the next one, as real clients do not wait for each other. A call that throws is tried again
 * after `retryMs` with the same `i` (so the same ids) until `giveUpMs` from its start.
 * `at` runs once each at its offset (a fault, a restart) without pausing the load.
 *
 * @example
 * const report = await steadyLoad({ everyMs: 50, durationMs: 20_000, call: (i) => send(i), at: { 5_000: kill } });
 */
export async function steadyLoad(options: {
  everyMs: number;
  durationMs: number;
  call: (i: number) => Promise<void>;
  at?: Record<number, () => Promise<void>>;
  retryMs?: number;
  giveUpMs?: number;
}): Promise<SteadyLoadReport> {
  const { everyMs, durationMs, call, retryMs = 250, giveUpMs = 60_000 } = options;
  const report: SteadyLoadReport = { calls: 0, retries: 0, latencies: [] };
  const running: Promise<void>[] = [];
  const start = performance.now();
  const one = async (i: number): Promise<void> => {
    const startedAt = performance.now();
    let retries = 0;
    for (;;) {
      try {
        await call(i);
        report.latencies[i] = { startedAt: startedAt - start, ms: performance.now() - startedAt, retries };
        return;
      } catch (err) {
        if (performance.now() - startedAt > giveUpMs) throw err;
        retries++;
        report.retries++;
        await sleep(retryMs);
      }
    }
  };
  const faults = Object.entries(options.at ?? {}).map(([offset, action]) => sleep(Number(offset)).then(action));
  for (let i = 0; performance.now() - start < durationMs; i++) {
    running.push(one(i));
    report.calls++;
    const next = start + (i + 1) * everyMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all([...running, ...faults]);
  return report;
}

/** p-th percentile (0-100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
