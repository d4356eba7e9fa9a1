import type { Logger } from '@shop/platform';
import type { Database } from '../../../shared/database/index.ts';
import { forwardBackoffMs } from '../domain/forward-backoff.ts';
import type { CollectorClient } from './collector.client.ts';
import { claimMessages, deleteMessages, releaseMessages } from './outbox.repository.ts';

export interface ForwarderOptions {
  /** At most this many messages per request (Segment's batch; the collector caps a batch at 500 KB). */
  batchSize: number;
  /** How often an empty spool is looked at again. */
  idleMs: number;
  /** How long a claimed batch stays leased; longer than a send can take (timeout included). */
  leaseMs: number;
  backoff: { baseMs: number; maxMs: number };
}

export interface ForwarderStats {
  forwarded: number;
  /** Refused by the collector as invalid (400/413/422, or rejected one by one): logged, never resent. */
  droppedInvalid: number;
  /** Sends that failed and were kept for a retry. */
  failedSends: number;
  consecutiveFailures: number;
}

export interface Forwarder {
  start(): void;
  stop(): Promise<void>;
  /** One claim-send-settle round; resolves to how many messages it settled. Tests drive it directly. */
  forwardOnce(): Promise<number>;
  stats(): ForwarderStats;
}

/**
 * Drains `tracking.outbox` into the collector in the background, never on a request's path.
 * Messages leave the spool only when the collector took them (2xx) or refused them as invalid;
 * any other failure keeps them, and the loop backs off exponentially (capped) before retrying.
 */
export function createForwarder(deps: { db: Database; client: CollectorClient; logger: Logger; options: ForwarderOptions }): Forwarder {
  const { db, client, logger, options } = deps;
  const stats: ForwarderStats = { forwarded: 0, droppedInvalid: 0, failedSends: 0, consecutiveFailures: 0 };
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let retryAfterMs = 0;

  const fail = (detail: Record<string, unknown>, message: string) => {
    stats.failedSends++;
    stats.consecutiveFailures++;
    // Log the first failure of a run and then every tenth, so an outage does not flood the logs.
    if (stats.consecutiveFailures === 1 || stats.consecutiveFailures % 10 === 0) {
      logger.warn({ ...detail, consecutiveFailures: stats.consecutiveFailures }, message);
    }
  };

  async function forwardOnce(): Promise<number> {
    let claimed;
    try {
      claimed = await claimMessages(db, options.batchSize, options.leaseMs);
    } catch (error) {
      fail({ err: error }, 'tracking spool unreadable; will retry');
      return -1;
    }
    if (claimed.length === 0) return 0;
    const ids = claimed.map((m) => m.id);
    const outcome = await client.send(
      claimed.map((m) => m.message),
      new Date(),
    );
    try {
      if (outcome.kind === 'retry') {
        fail({ status: outcome.status, detail: outcome.detail, messages: ids.length }, 'collector unavailable; events kept for a retry');
        retryAfterMs = outcome.retryAfterMs ?? 0;
        await releaseMessages(db, ids);
        return -1;
      }
      await deleteMessages(db, ids);
    } catch (error) {
      // The lease runs out and the batch is sent again: the collector deduplicates by messageId.
      fail({ err: error }, 'tracking spool unwritable after a send; the batch will be resent');
      return -1;
    }
    if (stats.consecutiveFailures > 0) logger.info({ after: stats.consecutiveFailures }, 'collector reachable again');
    stats.consecutiveFailures = 0;
    retryAfterMs = 0;
    if (outcome.kind === 'invalid') {
      stats.droppedInvalid += ids.length;
      logger.error({ status: outcome.status, detail: outcome.detail, dropped: ids.length, total: stats.droppedInvalid }, 'collector refused a batch as invalid; dropped');
      return ids.length;
    }
    stats.forwarded += ids.length - outcome.rejected.length;
    if (outcome.rejected.length > 0) {
      stats.droppedInvalid += outcome.rejected.length;
      logger.error(
        { rejected: outcome.rejected.slice(0, 5).map((r) => ({ ...r, messageId: claimed[r.index]?.message.messageId })), dropped: outcome.rejected.length },
        'collector rejected some events as invalid; dropped',
      );
    }
    return ids.length;
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  async function run() {
    while (running) {
      const settled = await forwardOnce();
      if (!running) break;
      if (settled < 0) await sleep(forwardBackoffMs(stats.consecutiveFailures, options.backoff, retryAfterMs));
      else if (settled < options.batchSize) await sleep(options.idleMs);
      // A full batch: there may be more, go on at once.
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run().catch((error: unknown) => logger.error({ err: error }, 'tracking forwarder stopped on a bug'));
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
    forwardOnce,
    stats: () => ({ ...stats }),
  };
}
