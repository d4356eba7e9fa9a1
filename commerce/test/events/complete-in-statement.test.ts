import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/shared/database/index.ts';
import type { OnceStatement } from '../../src/shared/events/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { deliveryRows, effects, FAST, newBus, OrderCreated, sharedEventsDatabase, waitFor } from './event-bus.fixtures.ts';
import { createEffects, expectDoneOnRetry } from './statement-work.fixtures.ts';

const createKeyedEffects = (db: Database) => createEffects(db, 'primary key');

/** Idempotent on its own: the first row per order stays. */
const keepFirst = (who: string, orderId: string, amount: number): OnceStatement => ({
  ctes: `kept as (
     insert into shop.effects (who, order_id, amount, tx) values ($1, $2, $3, txid_current()) on conflict (order_id) do nothing
   )`,
  values: [who, orderId, amount],
});

describe.each(databaseEngines())('idempotent work completing its delivery in one statement on $name', (engine) => {
  const { skip } = engine;
  const shared = sharedEventsDatabase(engine);

  it.skipIf(skip)('writes the work and completes the delivery before the handler returns, with no inbox mark; a redelivery writes nothing new', async () => {
    const { db } = shared;
    await createKeyedEffects(db);
    const bus = newBus(db, { ...FAST, instanceId: 'one' });
    const seenDone: string[] = [];
    bus.subscribe('statement', OrderCreated, async (event, context) => {
      expect(await context.completeInStatement(keepFirst('statement', event.payload.orderId, event.payload.totalMinor))).toBe(true);
      // Done by that statement, not by a completion after the handler.
      const { rows } = await db.query<{ status: string }>('select status from events.deliveries where id = $1', [context.deliveryId]);
      seenDone.push(rows[0]!.status);
    });
    try {
      await bus.start();
      const event = OrderCreated.create({ orderId: 'o1', totalMinor: 1 });
      await db.transaction((tx) => bus.publish(tx, event));
      await waitFor(() => seenDone.length === 1);
      // Redelivered (a replay) and duplicated with other content (another event id).
      await db.query(`update events.deliveries set status = 'pending', next_attempt_at = now() where event_id = $1`, [event.id]);
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o1', totalMinor: 2 })));
      await waitFor(() => seenDone.length === 3);
      await waitFor(async () => (await deliveryRows(db)).length === 2 && (await deliveryRows(db)).every((d) => d.status === 'done'));
      expect(seenDone).toEqual(['done', 'done', 'done']);
      expect((await effects(db, 'o1')).map((e) => e.who)).toEqual(['statement']);
      const { rows } = await db.query<{ amount: number }>('select amount from shop.effects');
      expect(rows).toEqual([{ amount: 1 }]);
      expect((await db.query('select 1 from events.inbox where subscriber = $1', ['statement'])).rows).toHaveLength(0);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('that fails leaves the delivery to its retry, which writes the work', async () => {
    const { db } = shared;
    await createKeyedEffects(db);
    const bus = newBus(db, { ...FAST, instanceId: 'one' });
    let calls = 0;
    bus.subscribe('statement', OrderCreated, async (event, context) => {
      calls++;
      await context.completeInStatement(keepFirst('statement', event.payload.orderId, calls === 1 ? -1 : 1));
    });
    try {
      await bus.start();
      await expectDoneOnRetry(db, bus, 'o2', 'statement');
    } finally {
      await bus.stop();
    }
  });
});
