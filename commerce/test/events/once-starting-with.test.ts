import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/shared/database/index.ts';
import type { OnceStatement } from '../../src/shared/events/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { deliveryRows, effects, FAST, newBus, OrderCreated, sharedEventsDatabase, waitFor } from './event-bus.fixtures.ts';
import { createEffects, publishFreshAndSeen } from './statement-work.fixtures.ts';

/** The first statement's row: kept once per (who, order); its result says whether this statement wrote it. */
const storeOnce = (who: string, orderId: string, amount: number): OnceStatement => ({
  ctes: `stored as (
     insert into shop.effects (who, order_id, amount, tx)
     select $1, $2, $3, txid_current() where exists (select 1 from first_handling)
     returning 1
   )`,
  values: [who, orderId, amount],
  result: 'exists (select 1 from stored)',
});

const marks = async (db: Database, subscriber: string) =>
  (await db.query('select 1 from events.inbox where subscriber = $1', [subscriber])).rows.length;

describe.each(databaseEngines())('once starting with a statement on $name', (engine) => {
  const { skip } = engine;
  const shared = sharedEventsDatabase(engine);

  it.skipIf(skip)('runs the statement with the mark and the completion, then the work with its result, in one transaction; not again on a redelivery', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, instanceId: 'one' });
    const results: unknown[] = [];
    const firsts: boolean[] = [];
    bus.subscribe('headed', OrderCreated, async (event, context) => {
      const { orderId } = event.payload;
      const first = await context.onceStartingWith(storeOnce('headed', orderId, 1), async (tx, stored) => {
        results.push(stored);
        await tx.query(`insert into shop.effects (who, order_id, amount, tx) values ('work', $1, 1, txid_current())`, [orderId]);
      });
      firsts.push(first);
    });
    try {
      await bus.start();
      await publishFreshAndSeen(db, bus, 'headed', ['o1', 'o2']);
      const [stored, work] = await effects(db, 'o1');
      expect([stored?.who, work?.who]).toEqual(['headed', 'work']);
      expect(stored?.tx).toBe(work?.tx);
      expect(results).toEqual([true]);
      expect(firsts.sort()).toEqual([false, true]);
      expect(await effects(db, 'o2')).toEqual([]);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('shares the event’s once transaction; a failing statement fails only its own delivery, retried once', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, instanceId: 'one' });
    let headedCalls = 0;
    bus.subscribe('headed', OrderCreated, async (event, context) => {
      headedCalls++;
      // The first attempt's amount breaks the table's check: the marks' statement fails with it.
      await context.onceStartingWith(storeOnce('headed', event.payload.orderId, headedCalls === 1 ? -1 : 1), async () => undefined);
    });
    bus.subscribe('plain', OrderCreated, async (event, context) => {
      await context.once(async (tx) => {
        await tx.query(`insert into shop.effects (who, order_id, amount, tx) values ('plain', $1, 1, txid_current())`, [event.payload.orderId]);
      });
    });
    try {
      await bus.start();
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o3', totalMinor: 1 })));
      await waitFor(async () => (await deliveryRows(db)).length === 2 && (await deliveryRows(db)).every((d) => d.status === 'done'));
      expect((await deliveryRows(db)).map((d) => [d.subscriber, d.attempts]).sort()).toEqual([
        ['headed', 2],
        ['plain', 1],
      ]);
      expect((await effects(db, 'o3')).map((e) => e.who)).toEqual(['headed', 'plain']);
      expect([await marks(db, 'headed'), await marks(db, 'plain')]).toEqual([1, 1]);

      // Both succeed: one transaction holds the statement's row and the sibling's.
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o4', totalMinor: 1 })));
      await waitFor(async () => (await deliveryRows(db)).length === 4 && (await deliveryRows(db)).every((d) => d.status === 'done'));
      const [headed, plain] = await effects(db, 'o4');
      expect([headed?.who, plain?.who]).toEqual(['headed', 'plain']);
      expect(headed?.tx).toBe(plain?.tx);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('of an inline delivery runs the statement and the work in the publishing transaction', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, pollIntervalMs: 60_000, instanceId: 'one' });
    bus.subscribe('inline', OrderCreated, async (event, context) => {
      await context.onceStartingWith(storeOnce('inline', event.payload.orderId, 1), async (tx, stored) => {
        if (stored === true) await tx.query(`insert into shop.effects (who, order_id, amount, tx) values ('work', $1, 1, txid_current())`, [event.payload.orderId]);
      });
    }, { inline: true });
    try {
      await bus.start();
      await db.transaction(async (tx) => {
        await tx.query(`insert into shop.effects (who, order_id, amount, tx) values ('publisher', 'o5', 1, txid_current())`);
        await bus.publish(tx, OrderCreated.create({ orderId: 'o5', totalMinor: 1 }));
      });
      const rows = await effects(db, 'o5');
      expect(rows.map((r) => r.who)).toEqual(['inline', 'publisher', 'work']);
      expect(new Set(rows.map((r) => r.tx)).size).toBe(1);
      expect((await deliveryRows(db)).map((d) => [d.subscriber, d.status, d.attempts])).toEqual([['inline', 'done', 1]]);
    } finally {
      await bus.stop();
    }
  });
});
