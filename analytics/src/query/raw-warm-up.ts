import type { DuckDBConnection } from '@duckdb/node-api';
import { holdRecentDays, type LakeStore, MAX_CACHED_ROWS } from '../batch/index.ts';
import { RAW_DIMENSION_NAMES, rawDimension } from './combined-filter.ts';

/** Days loaded per turn on the connection: a question arriving meanwhile waits for one turn at most (about 150 ms for a busy tenant). */
const DAYS_PER_TURN = 8;
const DAY_MS = 86_400_000;

/**
 * The scalar paths a filter can name: each becomes a column of the held rows as they load, not an
 * UPDATE of every held row at the first question naming it. On the bench's tenant the warm-up costs
 * about 1.5 s CPU more with them, and the first two-filter question about 0.5 s less.
 */
const FILTER_SCALARS = RAW_DIMENSION_NAMES.flatMap((name) => {
  const dimension = rawDimension(name);
  return dimension?.kind === 'json' ? [[dimension.root, ...dimension.path].join('.')] : [];
});

export interface RawWarmUpOptions {
  /** Days before now (today included) of each tenant to hold. */
  days: number;
  /** The tenants, in the order they are warmed. */
  tenantIds: () => Promise<readonly string[]>;
  onError?: (error: unknown) => void;
}

export interface RawWarmUp {
  /** Settles when the warm-up ended (done, stopped or failed): the tenants and days it held. */
  done: Promise<{ tenants: number; days: number }>;
  /** No further turn starts; the one running finishes. */
  stop(): void;
}

/**
 * Loads, off the request path, what each tenant's first raw-event question would load (the
 * closed days' copies of the last `days` days, with a column per filterable scalar, and today's
 * objects), so that question does not. It takes the connection in turns of a few days, newest
 * first, through the same queue as questions, and yields between turns; it stops once the held
 * rows reach half of what a connection holds, so it never evicts what it loaded nor fills the
 * room questions need. Answers are unchanged: a held day is used only while its copy stands.
 *
 * @example
 * const warm = startRawWarmUp(exclusive, lake, { days: 62, tenantIds }, Date.now());
 * await warm.done;
 */
export function startRawWarmUp(
  exclusive: <T>(fn: (c: DuckDBConnection) => Promise<T>) => Promise<T>,
  lake: LakeStore,
  options: RawWarmUpOptions,
  now: number,
): RawWarmUp {
  let stopped = false;
  let tenants = 0;
  let days = 0;
  const run = async () => {
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    for (const tenantId of await options.tenantIds()) {
      for (let end = today + DAY_MS, left = options.days; left > 0; end -= DAYS_PER_TURN * DAY_MS, left -= DAYS_PER_TURN) {
        // A timer, not a microtask: requests that came in meanwhile reach the queue first.
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (stopped) return;
        const turn = Math.min(DAYS_PER_TURN, left);
        const held = await exclusive((c) => holdRecentDays(c, lake, tenantId, { from: end - turn * DAY_MS, to: end }, FILTER_SCALARS));
        days += turn;
        if (held >= MAX_CACHED_ROWS / 2) stopped = true;
      }
      tenants++;
    }
  };
  const done = run().then(
    () => ({ tenants, days }),
    (error: unknown) => {
      options.onError?.(error);
      return { tenants, days };
    },
  );
  return {
    done,
    stop() {
      stopped = true;
    },
  };
}
