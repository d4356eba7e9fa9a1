import type { Logger } from '@shop/platform';
import type { Database } from '../../../shared/database/index.ts';
import type { SegmentMessage } from '../domain/segment-message.ts';
import { spoolMessages } from './outbox.repository.ts';

export interface SpoolBuffer {
  /** Synchronous and allocation-cheap: the request path never waits on the database. */
  push(message: SegmentMessage): void;
  /** Writes what is buffered now; resolves once it is in `tracking.outbox` (or kept for the next try). */
  flush(): Promise<void>;
  start(): void;
  /** Stops the timer and makes a last flush. */
  stop(): Promise<void>;
  stats(): { buffered: number; spooled: number; droppedOverflow: number };
}

/**
 * Batches spool writes: messages collect in memory and go to `tracking.outbox` in one insert
 * every `flushMs`, so a product view costs no database round trip of its own.
 *
 * Durability trade-off, on purpose: what sits in this buffer is NOT yet durable. A crash (or
 * kill -9) loses at most the last `flushMs` of tracked events (plus anything held while the
 * database was unreachable). That is acceptable for behavioural analytics; order revenue does
 * not go through here (it is spooled in the order event handler's own transaction).
 * While the database is down the buffer is kept and retried, up to `maxBuffered` messages;
 * beyond that the oldest are dropped and counted, so memory stays bounded.
 */
export function createSpoolBuffer(deps: { db: Database; logger: Logger; flushMs: number; maxBuffered: number }): SpoolBuffer {
  let buffer: SegmentMessage[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let spooled = 0;
  let droppedOverflow = 0;
  let failing = false;

  async function write(): Promise<void> {
    while (buffer.length > 0) {
      const taken = buffer;
      buffer = [];
      try {
        await spoolMessages(deps.db, taken);
        spooled += taken.length;
        if (failing) deps.logger.info('tracking spool writable again');
        failing = false;
      } catch (error) {
        // Put them back in front of anything newer and try again on the next tick.
        buffer = taken.concat(buffer);
        trim();
        if (!failing) deps.logger.warn({ err: error, buffered: buffer.length }, 'tracking spool unavailable; holding events in memory');
        failing = true;
        return;
      }
    }
  }

  function trim() {
    const excess = buffer.length - deps.maxBuffered;
    if (excess > 0) {
      buffer.splice(0, excess);
      droppedOverflow += excess;
      deps.logger.error({ dropped: excess, total: droppedOverflow }, 'tracking buffer full; oldest events dropped');
    }
  }

  // One write at a time; a flush asked during a write waits for it, then writes what is new.
  const flush = async (): Promise<void> => {
    while (flushing) await flushing;
    flushing = write().finally(() => {
      flushing = undefined;
    });
    return flushing;
  };

  return {
    push(message) {
      buffer.push(message);
      if (buffer.length > deps.maxBuffered) trim();
    },
    flush,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (buffer.length > 0 && !flushing) void flush();
      }, deps.flushMs);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await flush();
    },
    stats: () => ({ buffered: buffer.length, spooled, droppedOverflow }),
  };
}
