import { describe, expect, it } from 'vitest';
import type { Database, Sql } from '../../src/shared/database/index.ts';
import type { HandlerContext } from '../../src/shared/events/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { deliveryRows, FAST, newBus, OrderCreated, sharedEventsDatabase, waitFor } from './event-bus.fixtures.ts';

/** The same database, but transactions forget their commit callbacks: as if the process died right after COMMIT. */
const diesAfterCommit = (db: Database): Database => ({
  ...db,
  transaction: (work) => db.transaction((tx) => work({ ...tx, onCommit: () => undefined })),
});

/** Each subscriber's effect is a row written in its `once`, with the transaction that wrote it. */
async function recordEffect(tx: Sql, subscriber: string, orderId: string, context: HandlerContext): Promise<void> {
  await tx.query('insert into shop.effects (subscriber, order_id, attempt, tx) values ($1, $2, $3, txid_current())', [subscriber, orderId, context.attempt]);
}

const effects = async (db: Database, orderId: string) =>
  (
    await db.query<{ subscriber: string; attempt: number; tx: string }>(
      'select subscriber, attempt, tx::text as tx from shop.effects where order_id = $1 order by subscriber',
      [orderId],
    )
  ).rows;

describe.each(databaseEngines())('the once transactions of one event on $name', (engine) => {
  const { skip } = engine;
  const shared = sharedEventsDatabase(engine);
  const createEffects = (db: Database) =>
    db.exec('create schema shop; create table shop.effects (subscriber text not null, order_id text not null, attempt int not null, tx bigint not null)');

  it.skipIf(skip)('share one transaction; a subscriber failing in it is retried alone, the others commit once', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, instanceId: 'one' });
    for (const subscriber of ['a', 'b', 'c']) {
      bus.subscribe(subscriber, OrderCreated, async (event, context) => {
        await context.once(async (tx) => {
          await recordEffect(tx, subscriber, event.payload.orderId, context);
          // Its row is written, then it fails: the rollback must take the row and nothing of a's or c's.
          if (subscriber === 'b' && event.payload.orderId === 'o1' && context.attempt === 1) throw new Error('b fails once');
        });
      });
    }
    try {
      await bus.start();
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o0', totalMinor: 1 })));
      await waitFor(async () => (await deliveryRows(db)).every((d) => d.status === 'done'));
      const together = await effects(db, 'o0');
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o1', totalMinor: 1 })));
      await waitFor(async () => (await deliveryRows(db)).every((d) => d.status === 'done'));

      const rows = await effects(db, 'o1');
      expect(rows.map((r) => [r.subscriber, r.attempt])).toEqual([
        ['a', 1],
        ['b', 2],
        ['c', 1],
      ]);
      // a and c committed together, without b; b alone on its retry.
      expect(rows[0]!.tx).toBe(rows[2]!.tx);
      expect(rows[1]!.tx).not.toBe(rows[0]!.tx);
      // With nobody failing, the three effects of an event commit in one transaction.
      expect(new Set(together.map((r) => r.tx)).size).toBe(1);
      expect(together).toHaveLength(3);
      const attempts = Object.fromEntries((await deliveryRows(db)).filter((d) => d.id > 3).map((d) => [d.subscriber, d.attempts]));
      expect(attempts).toEqual({ a: 1, b: 2, c: 1 });
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('a subscriber whose handler fails before its once does not hold the others back', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, instanceId: 'one' });
    for (const subscriber of ['a', 'b']) {
      bus.subscribe(subscriber, OrderCreated, async (event, context) => {
        if (subscriber === 'b' && event.payload.orderId === 'o2' && context.attempt === 1) throw new Error('b fails before once');
        await context.once((tx) => recordEffect(tx, subscriber, event.payload.orderId, context));
      });
    }
    try {
      await bus.start();
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o2', totalMinor: 1 })));
      await waitFor(async () => (await deliveryRows(db)).every((d) => d.status === 'done'));
      expect((await effects(db, 'o2')).map((r) => [r.subscriber, r.attempt])).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('complete, each effect once, when the instance dies between commit and running them', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, leaseMs: 300, instanceId: 'survivor' });
    for (const subscriber of ['a', 'b']) {
      bus.subscribe(subscriber, OrderCreated, (event, context) =>
        context.once((tx) => recordEffect(tx, subscriber, event.payload.orderId, context)).then(() => undefined),
      );
    }
    try {
      await bus.start();
      await diesAfterCommit(db).transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'orphan', totalMinor: 1 })));
      // Leased to this instance and never handed to it: only the lease running out brings them back.
      expect((await deliveryRows(db)).map((d) => d.status)).toEqual(['processing', 'processing']);
      await waitFor(async () => (await deliveryRows(db)).every((d) => d.status === 'done'));
      const rows = await effects(db, 'orphan');
      expect(rows.map((r) => [r.subscriber, r.attempt])).toEqual([
        ['a', 2],
        ['b', 2],
      ]);
      // Taken over by one claim, they still share their transaction.
      expect(rows[0]!.tx).toBe(rows[1]!.tx);
    } finally {
      await bus.stop();
    }
  });
});
