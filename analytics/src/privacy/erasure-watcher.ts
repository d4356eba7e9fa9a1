import type { AnalyticsEvent } from '../contracts/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import { createErasureMatcher, type ErasureMatcher } from './erasure-matcher.ts';
import { ERASURES_PREFIX, readErasureRequestAt, type ErasureRequest } from './erasure-request.ts';

export interface ErasureWatcher {
  /** The current list's answer; a bound function (`exclude: watcher.isErased`). */
  isErased: (event: AnalyticsEvent) => boolean;
  /**
   * Re-reads the list now. Resolves once the matcher reflects every erasure recorded before the
   * call (calls made while a read is under way wait for the next one); resolves true when it changed.
   */
  sync(): Promise<boolean>;
  /** The matcher as of the last read. */
  matcher(): ErasureMatcher;
  stop(): Promise<void>;
}

export interface WatchErasuresOptions {
  store: ObjectStore;
  /** How often the list is read in the background. Default 1,000 ms. */
  intervalMs?: number;
  /** A failed background read (the previous list stays in force); `sync()` callers get the error instead. */
  onError?: (error: unknown) => void;
}

/**
 * Keeps an erasure matcher current for a long-running consumer: reads the list once before
 * resolving, then every `intervalMs`. A read lists `erasures/` and fetches only the requests not
 * seen yet or still pending (a done request never changes), so a steady poll costs one LIST.
 *
 * @example
 * const erasures = await watchErasures({ store });
 * const archiver = startArchiver({ log, store, logger, exclude: erasures.isErased, syncExclude: erasures.sync });
 */
export async function watchErasures(options: WatchErasuresOptions): Promise<ErasureWatcher> {
  const { store } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const known = new Map<string, ErasureRequest>();
  let current = createErasureMatcher([]);

  const read = async (): Promise<boolean> => {
    const keys = (await store.list(ERASURES_PREFIX)).filter((k) => k.endsWith('.json'));
    let changed = false;
    const listed = new Set(keys);
    for (const key of [...known.keys()]) {
      if (!listed.has(key)) {
        known.delete(key);
        changed = true;
      }
    }
    for (const key of keys) {
      const before = known.get(key);
      if (before?.status === 'done') continue;
      const request = await readErasureRequestAt(store, key);
      if (!request) continue;
      if (!before || before.identities.length !== request.identities.length || before.status !== request.status) changed = true;
      known.set(key, request);
    }
    if (changed) current = createErasureMatcher([...known.values()]);
    return changed;
  };

  // One read at a time; callers arriving while one runs share the next, which starts after them.
  let tail: Promise<unknown> = Promise.resolve();
  let next: Promise<boolean> | null = null;
  const sync = (): Promise<boolean> => {
    if (next) return next;
    const run = tail.then(
      () => {
        next = null;
        return read();
      },
      () => {
        next = null;
        return read();
      },
    );
    next = run;
    tail = run.catch(() => undefined);
    return run;
  };

  await sync();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      sync()
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          if (!stopped) schedule();
        });
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    isErased: (event) => current.isErased(event),
    sync,
    matcher: () => current,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await tail;
    },
  };
}
