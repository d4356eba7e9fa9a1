import type { Logger } from '@shop/platform';
import type { ObjectStore } from '../storage/index.ts';
import { resumeErasure, type ErasePersonOptions } from './erase-person.ts';
import { erasureKey, type ErasureRequest, ErasureRequestCorruptError, ERASURES_PREFIX, loadErasures, readErasureRequestAt, saveErasureRequest } from '../privacy/index.ts';

export interface ErasureRunnerOptions {
  store: ObjectStore;
  logger: Logger;
  /** This process's speed views' rebuild (see `ErasePersonOptions.rebuildSpeed`). */
  rebuildSpeed?: ErasePersonOptions['rebuildSpeed'];
  /** How often the list is checked for requests to complete. Default 10,000 ms. */
  intervalMs?: number;
  /** A failed request's first wait before the next timed try (then doubling, up to 10 minutes). Default `intervalMs`. */
  retryBaseMs?: number;
  /** The backoff's clock. Default Date.now. */
  clock?: () => number;
  graceMs?: number;
  now?: () => Date;
  /** Told after each request this runner completed or finished the speed step of. */
  onCompleted?: (request: ErasureRequest) => void;
}

export interface ErasureRunner {
  /** Runs a pass now (or after the one under way), failed requests included; resolves when it has ended. */
  nudge(): Promise<void>;
  /** Runs a pass as the timer does: failed requests wait out their backoff. */
  poll(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Completes erasure requests in the background, as the batch schedule runs batches: every
 * pending request (recorded by the admin API, or left halfway by a crash) is resumed from its
 * last recorded step, one at a time, oldest first. A request completed elsewhere without a
 * speed step (the CLI when the speed views live in this process's memory) gets its tenant's
 * speed buckets rebuilt here, and the step is recorded.
 *
 * Run one runner per deployment (like the batch schedule). Two workers on one request (a second
 * runner, or `npm run erase -- --run-here`) redo each other's steps but lose nothing: a resume
 * starts from the stored state and every save merges with it (identities only grow). Running
 * the speed rebuild twice at once is wasted work, so one runner is still the rule.
 *
 * @example
 * const runner = startErasureRunner({ store, logger, rebuildSpeed: (t, m) => rebuildTenantSpeed({ log, store: aggregates, tenantId: t, exclude: m.isErased }) });
 */
export function startErasureRunner(options: ErasureRunnerOptions): ErasureRunner {
  const { store, logger, rebuildSpeed } = options;
  const now = options.now ?? (() => new Date());
  const intervalMs = options.intervalMs ?? 10_000;

  const completeSpeedStep = async (request: ErasureRequest) => {
    if (!rebuildSpeed) return;
    await rebuildSpeed(request.tenantId, await loadErasures(store, request.tenantId));
    request.speedRebuiltAt = now().toISOString();
    await saveErasureRequest(store, request);
  };
  const isFinished = (r: ErasureRequest) => r.status === 'done' && (r.speedRebuiltAt !== undefined || !rebuildSpeed);
  // Requests with nothing left to do here never change again: not read again.
  const finished = new Set<string>();
  // A request that failed waits before its next try (doubling up to 10 minutes): each try may scan the tenant's raw store.
  const backoff = new Map<string, { failures: number; retryAt: number }>();
  const retryBaseMs = options.retryBaseMs ?? intervalMs;
  const maxBackoffMs = Math.max(600_000, retryBaseMs);
  const clock = options.clock ?? Date.now;
  const aborter = new AbortController();

  /** The requests with something left to do, oldest first; an unreadable one is reported and skipped (not retried forever silently). */
  const unfinished = async (retryNow: boolean): Promise<ErasureRequest[]> => {
    const requests: ErasureRequest[] = [];
    for (const key of await store.list(ERASURES_PREFIX)) {
      if (!key.endsWith('.json') || finished.has(key) || (!retryNow && (backoff.get(key)?.retryAt ?? 0) > clock())) continue;
      try {
        const request = await readErasureRequestAt(store, key);
        if (request && isFinished(request)) finished.add(key);
        else if (request) requests.push(request);
      } catch (error) {
        if (!(error instanceof ErasureRequestCorruptError)) throw error;
        logger.error({ err: error, key }, 'unreadable erasure request skipped; repair or delete it');
      }
    }
    return requests.sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0));
  };

  // An explicit nudge (a new request, an operator) tries failed requests again at once; the timer waits out their backoff.
  let retryNow = false;
  const pass = async () => {
    const forced = retryNow;
    retryNow = false;
    for (const request of await unfinished(forced)) {
      if (stopped) return;
      const key = erasureKey(request.tenantId, request.id);
      try {
        if (request.status === 'pending') {
          const { request: done } = await resumeErasure(request, {
            store,
            now,
            signal: aborter.signal,
            ...(rebuildSpeed ? { rebuildSpeed } : {}),
            ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
            onStep: (step) => logger.info({ tenantId: request.tenantId, requestId: request.id, step }, 'erasure step'),
          });
          options.onCompleted?.(done);
        } else {
          await completeSpeedStep(request);
          logger.info({ tenantId: request.tenantId, requestId: request.id }, 'erasure: speed buckets rebuilt');
          options.onCompleted?.(request);
        }
        backoff.delete(key);
      } catch (error) {
        if (stopped) return; // aborted between steps by stop(): resumed after the restart
        // Left pending: a later pass resumes it from its last recorded step.
        const stored = await readErasureRequestAt(store, key).catch(() => null);
        if (stored?.recomputedAt) {
          // Only the speed rebuild is left, and it purged the tenant's buckets first: retried on the next pass, not after a backoff.
          logger.error({ err: error, tenantId: request.tenantId, requestId: request.id }, 'erasure: speed rebuild failed; will retry');
          continue;
        }
        const failures = (backoff.get(key)?.failures ?? 0) + 1;
        const waitMs = Math.min(maxBackoffMs, retryBaseMs * 2 ** (failures - 1));
        backoff.set(key, { failures, retryAt: clock() + waitMs });
        logger.error({ err: error, tenantId: request.tenantId, requestId: request.id, failures, retryInMs: waitMs }, 'erasure failed; will retry');
        continue;
      }
    }
  };

  // One pass at a time; nudges during a pass share the pass that starts after it.
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  const nudge = (): Promise<void> => {
    retryNow = true;
    return next();
  };
  const next = (): Promise<void> => {
    if (queued) return queued;
    const run = tail
      .then(() => {
        queued = null;
        return pass();
      })
      .catch((error: unknown) => logger.error({ err: error }, 'erasure pass failed'));
    queued = tail = run;
    return run;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      void next().finally(() => {
        if (!stopped) schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  void nudge();
  schedule();

  return {
    nudge,
    poll: next,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // The step under way finishes (each is recorded); the next one does not start.
      aborter.abort();
      await tail;
    },
  };
}
