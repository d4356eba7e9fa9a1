import { describe, expect, it } from 'vitest';
import type { OnceStatement } from '../../src/shared/events/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { deliveryRows, effects, FAST, newBus, OrderCreated, sharedEventsDatabase } from './event-bus.fixtures.ts';
import { createEffects, expectDoneOnRetry, publishFreshAndSeen } from './statement-work.fixtures.ts';

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
      await publishFreshAndSeen(db, bus, 'statement', ['o1', 'o2']);
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
      const event = await expectDoneOnRetry(db, bus, 'o3', 'statement');
      expect(calls).toBe(2);
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
