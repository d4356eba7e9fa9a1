import type { Logger } from '@shop/platform';
import type { ObjectStore } from '../storage/index.ts';
import { resumeErasure, type ErasePersonOptions } from './erase-person.ts';
import { ERASURES_PREFIX, ErasureRequestCorruptError, readErasureRequestAt, saveErasureRequest, type ErasureRequest } from './erasure-request.ts';
import { loadErasures } from './erasure-matcher.ts';

export interface ErasureRunnerOptions {
  store: ObjectStore;
  logger: Logger;
  /** This process's speed views' rebuild (see `ErasePersonOptions.rebuildSpeed`). */
  rebuildSpeed?: ErasePersonOptions['rebuildSpeed'];
  /** How often the list is checked for requests to complete. Default 10,000 ms. */
  intervalMs?: number;
  graceMs?: number;
  now?: () => Date;
  /** Told after each request this runner completed or finished the speed step of. */
  onCompleted?: (request: ErasureRequest) => void;
}

export interface ErasureRunner {
  /** Runs a pass now (or after the one under way); resolves when it has ended. */
  nudge(): Promise<void>;
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
  const aborter = new AbortController();

  /** The requests with something left to do, oldest first; an unreadable one is reported and skipped (not retried forever silently). */
  const unfinished = async (): Promise<ErasureRequest[]> => {
    const requests: ErasureRequest[] = [];
    for (const key of await store.list(ERASURES_PREFIX)) {
      if (!key.endsWith('.json') || finished.has(key)) continue;
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

  const pass = async () => {
    for (const request of await unfinished()) {
      if (stopped) return;
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
      } catch (error) {
        if (stopped) return; // aborted between steps by stop(): resumed after the restart
        // Left pending: the next pass resumes it from its last recorded step.
        logger.error({ err: error, tenantId: request.tenantId, requestId: request.id }, 'erasure failed; will retry');
      }
    }
  };

  // One pass at a time; nudges during a pass share the pass that starts after it.
  let tail: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  const nudge = (): Promise<void> => {
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
      void nudge().finally(() => {
        if (!stopped) schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  void nudge();
  schedule();

  return {
    nudge,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      // The step under way finishes (each is recorded); the next one does not start.
      aborter.abort();
      await tail;
    },
  };
}
