import type { Sql } from '../database/index.ts';

/**
 * Records that `subscriber` handled `eventId`; true the first time, false on a redelivery.
 * Call it in the same transaction as the handler's own writes: both commit or neither, so an
 * at-least-once redelivery has exactly one effect. A concurrent second caller waits on the
 * primary key until the first commits, then sees false.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   if (!(await handleOnce(tx, 'orders', event.id))) return;
 *   await tx.query('update orders.orders set status = $2 where id = $1', [orderId, 'paid']);
 * });
 */
export async function handleOnce(tx: Sql, subscriber: string, eventId: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `insert into events.inbox (subscriber, event_id) values ($1, $2) on conflict do nothing`,
    [subscriber, eventId],
  );
  return rowCount > 0;
}

/**
 * A stable key for side effects outside the database (a charge, an email): the provider
 * deduplicates on it, so a redelivered event never charges twice.
 */
export function idempotencyKey(subscriber: string, eventId: string): string {
  return `${subscriber}:${eventId}`;
}
