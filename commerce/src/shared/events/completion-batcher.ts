import type { Database } from '../database/index.ts';
import { markManyDone } from './delivery.repository.ts';

/**
 * Records successful deliveries whose handler did not complete them in its own transaction
 * (handlers with external effects only: an email, a gateway call). Outcomes reported in the same
 * turn of the event loop go out as one statement.
 */
export function createCompletionBatcher(db: Database, instanceId: string) {
  let queued: Array<{ id: number; attempts: number; settle: (fenced: boolean) => void; fail: (error: unknown) => void }> = [];

  async function flush(): Promise<void> {
    const batch = queued;
    queued = [];
    try {
      const done = await markManyDone(db, instanceId, batch);
      for (const item of batch) item.settle(done.has(item.id));
    } catch (error) {
      for (const item of batch) item.fail(error);
    }
  }

  return {
    /** Resolves true once recorded, false when the lease was taken over meanwhile. */
    done(lease: { id: number; attempts: number }): Promise<boolean> {
      return new Promise((settle, fail) => {
        if (queued.length === 0) setImmediate(() => void flush());
        queued.push({ id: lease.id, attempts: lease.attempts, settle, fail });
      });
    },
  };
}
