import type { Database } from '../database/index.ts';
import { markManyDone } from './delivery.repository.ts';

type Queued = { id: number; attempts: number; settle: (fenced: boolean) => void; fail: (error: unknown) => void };

/**
 * Records successful deliveries whose handler did not complete them in its own transaction
 * (handlers with external effects only: an email, a gateway call). Outcomes go out as one
 * statement for everything reported in the same turn of the event loop, and while one such
 * statement runs, the next outcomes wait for it and go out together after it: at a low rate each
 * is recorded at once, under load one statement carries as many as finished meanwhile.
 */
export function createCompletionBatcher(db: Database, instanceId: string) {
  let queued: Queued[] = [];
  let scheduled = false;
  let flushing = false;

  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (queued.length > 0) {
        const batch = queued;
        queued = [];
        try {
          const done = await markManyDone(db, instanceId, batch);
          for (const item of batch) item.settle(done.has(item.id));
        } catch (error) {
          for (const item of batch) item.fail(error);
        }
      }
    } finally {
      flushing = false;
    }
  }

  function schedule(): void {
    if (scheduled || flushing) return; // a running flush takes what queues meanwhile
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void flush();
    });
  }

  return {
    /** Resolves true once recorded, false when the lease was taken over meanwhile. */
    done(lease: { id: number; attempts: number }): Promise<boolean> {
      return new Promise((settle, fail) => {
        queued.push({ id: lease.id, attempts: lease.attempts, settle, fail });
        schedule();
      });
    },
  };
}
