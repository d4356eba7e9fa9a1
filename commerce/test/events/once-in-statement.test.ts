import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/shared/database/index.ts';
import type { OnceStatement } from '../../src/shared/events/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { deliveryRows, effects, FAST, newBus, OrderCreated, sharedEventsDatabase, waitFor } from './event-bus.fixtures.ts';

const createEffects = (db: Database) =>
  db.exec('create schema shop; create table shop.effects (who text not null, order_id text not null, amount int not null check (amount > 0), tx bigint not null)');

/** A row written by the statement, when the subscriber handles the event for the first time. */
const recordEffect = (who: string, orderId: string, amount: number): OnceStatement => ({
  ctes: `recorded as (
     insert into shop.effects (who, order_id, amount, tx)
     select $1, $2, $3, txid_current() where exists (select 1 from first_handling)
   )`,
  values: [who, orderId, amount],
});

describe.each(databaseEngines())('once in one statement on $name', (engine) => {
  const { skip } = engine;
  const shared = sharedEventsDatabase(engine);

  it.skipIf(skip)('writes the work, the inbox mark and the completion together; a redelivered event completes without the work', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, instanceId: 'one' });
    const firsts: boolean[] = [];
    bus.subscribe('statement', OrderCreated, async (event, context) => {
      firsts.push(await context.onceInStatement(recordEffect('statement', event.payload.orderId, event.payload.totalMinor)));
    });
    try {
      await bus.start();
      const fresh = OrderCreated.create({ orderId: 'o1', totalMinor: 1 });
      // Handled before (its outbox row since purged): the mark is there already.
      const seen = OrderCreated.create({ orderId: 'o2', totalMinor: 1 });
      await db.query('insert into events.inbox (subscriber, event_id) values ($1, $2)', ['statement', seen.id]);
      await db.transaction(async (tx) => {
        await bus.publish(tx, fresh);
        await bus.publish(tx, seen);
      });
      await waitFor(async () => (await deliveryRows(db)).length === 2 && (await deliveryRows(db)).every((d) => d.status === 'done'));
      expect((await deliveryRows(db)).map((d) => [d.status, d.attempts])).toEqual([
        ['done', 1],
        ['done', 1],
      ]);
      expect((await effects(db, 'o1')).map((e) => e.who)).toEqual(['statement']);
      expect(await effects(db, 'o2')).toEqual([]);
      expect(firsts.sort()).toEqual([false, true]);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('that fails leaves neither the work nor the mark nor the completion: the retry does the work once', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, instanceId: 'one' });
    let calls = 0;
    bus.subscribe('statement', OrderCreated, async (event, context) => {
      calls++;
      // The first attempt's amount breaks the table's check: the statement fails as a whole.
      await context.onceInStatement(recordEffect('statement', event.payload.orderId, calls === 1 ? -1 : 1));
    });
    try {
      await bus.start();
      const event = OrderCreated.create({ orderId: 'o3', totalMinor: 1 });
      await db.transaction((tx) => bus.publish(tx, event));
      await waitFor(async () => (await deliveryRows(db))[0]?.status === 'done');
      expect((await deliveryRows(db)).map((d) => [d.status, d.attempts])).toEqual([['done', 2]]);
      expect(calls).toBe(2);
      expect((await effects(db, 'o3')).map((e) => e.who)).toEqual(['statement']);
      const marks = await db.query('select 1 from events.inbox where subscriber = $1 and event_id = $2', ['statement', event.id]);
      expect(marks.rows).toHaveLength(1);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('of an inline delivery runs in the publishing transaction', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, pollIntervalMs: 60_000, instanceId: 'one' });
    bus.subscribe('inline', OrderCreated, (event, context) => context.onceInStatement(recordEffect('inline', event.payload.orderId, 1)).then(() => undefined), {
      inline: true,
    });
    try {
      await bus.start();
      await db.transaction(async (tx) => {
        await tx.query(`insert into shop.effects (who, order_id, amount, tx) values ('publisher', 'o4', 1, txid_current())`);
        await bus.publish(tx, OrderCreated.create({ orderId: 'o4', totalMinor: 1 }));
      });
      const [inline, publisher] = await effects(db, 'o4');
      expect(inline?.who).toBe('inline');
      expect(inline?.tx).toBe(publisher?.tx);
      expect((await deliveryRows(db)).map((d) => [d.subscriber, d.status, d.attempts])).toEqual([['inline', 'done', 1]]);
    } finally {
      await bus.stop();
    }
  });
});
