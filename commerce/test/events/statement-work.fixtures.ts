import { expect } from 'vitest';
import type { Database } from '../../src/shared/database/index.ts';
import type { EventBus } from '../../src/shared/events/index.ts';
import { deliveryRows, effects, OrderCreated, waitFor } from './event-bus.fixtures.ts';

/** Rows a statement's work writes, with the transaction that wrote them; a non-positive amount fails the statement. */
export const createEffects = (db: Database, orderKey = '') =>
  db.exec(`create schema shop; create table shop.effects (who text not null, order_id text not null ${orderKey}, amount int not null check (amount > 0), tx bigint not null)`);

/**
 * Publishes an event `subscriber` has not handled (`fresh`) and one it has, whose outbox row has since
 * been purged (`seen`: its inbox mark is there already); resolves once both deliveries are done.
 */
export async function publishFreshAndSeen(db: Database, bus: EventBus, subscriber: string, orderIds: [string, string]) {
  const fresh = OrderCreated.create({ orderId: orderIds[0], totalMinor: 1 });
  const seen = OrderCreated.create({ orderId: orderIds[1], totalMinor: 1 });
  await db.query('insert into events.inbox (subscriber, event_id) values ($1, $2)', [subscriber, seen.id]);
  await db.transaction(async (tx) => {
    await bus.publish(tx, fresh);
    await bus.publish(tx, seen);
  });
  await waitFor(async () => (await deliveryRows(db)).length === 2 && (await deliveryRows(db)).every((d) => d.status === 'done'));
  expect((await deliveryRows(db)).map((d) => [d.status, d.attempts])).toEqual([
    ['done', 1],
    ['done', 1],
  ]);
  return { fresh, seen };
}

/** Publishes one event whose handler's statement fails on the first attempt; expects the retry to do the work once. */
export async function expectDoneOnRetry(db: Database, bus: EventBus, orderId: string, who: string) {
  const event = OrderCreated.create({ orderId, totalMinor: 1 });
  await db.transaction((tx) => bus.publish(tx, event));
  await waitFor(async () => (await deliveryRows(db))[0]?.status === 'done');
  expect((await deliveryRows(db)).map((d) => [d.status, d.attempts])).toEqual([['done', 2]]);
  expect((await effects(db, orderId)).map((e) => e.who)).toEqual([who]);
  return event;
}
