import { describe, expect, it } from 'vitest';
import type { Database, Sql } from '../../src/shared/database/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { deliveryRows, effects, diesAfterCommit, FAST, newBus, OrderCreated, PaymentCompleted, sharedEventsDatabase, waitFor } from './event-bus.fixtures.ts';

const createEffects = (db: Database) => db.exec('create schema shop; create table shop.effects (who text not null, order_id text not null, tx bigint not null)');

/** A row written through `tx`, with the transaction that wrote it. */
async function recordEffect(tx: Sql, who: string, orderId: string): Promise<void> {
  await tx.query('insert into shop.effects (who, order_id, tx) values ($1, $2, txid_current())', [who, orderId]);
}

describe.each(databaseEngines())('inline deliveries on $name', (engine) => {
  const { skip } = engine;
  const shared = sharedEventsDatabase(engine);

  it.skipIf(skip)('run their once work in the publishing transaction, which commits them done and marked; others stay ordinary', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, pollIntervalMs: 60_000, instanceId: 'one' });
    bus.subscribe('inline', OrderCreated, (event, context) => context.once((tx) => recordEffect(tx, 'inline', event.payload.orderId)).then(() => undefined), {
      inline: true,
    });
    bus.subscribe('ordinary', OrderCreated, (event, context) => context.once((tx) => recordEffect(tx, 'ordinary', event.payload.orderId)).then(() => undefined));
    try {
      await bus.start();
      const event = OrderCreated.create({ orderId: 'o1', totalMinor: 1 });
      await db.transaction(async (tx) => {
        await recordEffect(tx, 'publisher', 'o1');
        await bus.publish(tx, event);
      });
      // Committed with the publisher: there as soon as the publishing transaction is.
      const txOf = async () => Object.fromEntries((await effects(db, 'o1')).map((e) => [e.who, e.tx]));
      const first = await txOf();
      expect(first.inline).toBeDefined();
      expect(first.inline).toBe(first.publisher);
      const rows = await db.query<{ subscriber: string }>('select subscriber from events.inbox where event_id = $1', [event.id]);
      expect(rows.rows.map((r) => r.subscriber)).toContain('inline');
      await waitFor(async () => (await deliveryRows(db)).every((d) => d.status === 'done'));
      expect((await deliveryRows(db)).map((d) => [d.subscriber, d.status, d.attempts])).toEqual([
        ['inline', 'done', 1],
        ['ordinary', 'done', 1],
      ]);
      const all = await txOf();
      expect(all.ordinary).toBeDefined();
      expect(all.ordinary).not.toBe(all.publisher);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('that fail leave the publisher committed and run as ordinary deliveries; what their rolled-back work published never runs', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, pollIntervalMs: 60_000, instanceId: 'one' });
    let calls = 0;
    bus.subscribe(
      'inline',
      OrderCreated,
      async (event, context) => {
        calls++;
        await context.once(async (tx) => {
          await recordEffect(tx, 'inline', event.payload.orderId);
          await bus.publish(tx, PaymentCompleted.create({ orderId: event.payload.orderId }));
          if (calls === 1) throw new Error('inline work fails the first time');
        });
      },
      { inline: true },
    );
    bus.subscribe('next', PaymentCompleted, (event, context) => context.once((tx) => recordEffect(tx, 'next', event.payload.orderId)).then(() => undefined));
    try {
      await bus.start();
      await db.transaction(async (tx) => {
        await recordEffect(tx, 'publisher', 'o2');
        await bus.publish(tx, OrderCreated.create({ orderId: 'o2', totalMinor: 1 }));
      });
      await waitFor(async () => {
        const rows = await deliveryRows(db);
        return rows.length === 2 && rows.every((d) => d.status === 'done');
      });
      expect(calls).toBe(2);
      const rows = await effects(db, 'o2');
      expect(rows.map((r) => r.who)).toEqual(['inline', 'next', 'publisher']);
      // The retry ran in a transaction of its own, not the publisher's.
      expect(rows[0]!.tx).not.toBe(rows[2]!.tx);
      const { rows: published } = await db.query<{ n: number }>(`select count(*)::int as n from events.outbox where type = $1`, [PaymentCompleted.type]);
      expect(published[0]!.n).toBe(1);
      expect((await deliveryRows(db)).map((d) => [d.subscriber, d.status, d.attempts])).toEqual([
        ['inline', 'done', 1],
        ['next', 'done', 1],
      ]);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('that use their own connection run as ordinary deliveries after the commit instead of waiting on it', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, pollIntervalMs: 60_000, instanceId: 'one' });
    const seen: number[] = [];
    bus.subscribe(
      'reader',
      OrderCreated,
      async (event, context) => {
        const { rows } = await context.db.query<{ n: number }>('select count(*)::int as n from shop.effects where order_id = $1', [event.payload.orderId]);
        seen.push(rows[0]!.n);
        await context.once((tx) => recordEffect(tx, 'reader', event.payload.orderId));
      },
      { inline: true },
    );
    try {
      await bus.start();
      await db.transaction(async (tx) => {
        await recordEffect(tx, 'publisher', 'o5');
        await bus.publish(tx, OrderCreated.create({ orderId: 'o5', totalMinor: 1 }));
      });
      await waitFor(async () => (await deliveryRows(db)).every((d) => d.status === 'done'));
      // It ran once, after the commit: its own connection saw the publisher's row.
      expect(seen).toEqual([1]);
      expect((await effects(db, 'o5')).map((e) => e.who)).toEqual(['publisher', 'reader']);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('are done with the commit: a process dying right after it leaves them nothing to redo', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, leaseMs: 300, instanceId: 'one' });
    bus.subscribe('inline', OrderCreated, (event, context) => context.once((tx) => recordEffect(tx, 'inline', event.payload.orderId)).then(() => undefined), {
      inline: true,
    });
    try {
      await bus.start();
      await diesAfterCommit(db).transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o3', totalMinor: 1 })));
      expect((await deliveryRows(db)).map((d) => [d.status, d.attempts])).toEqual([['done', 1]]);
      await new Promise((r) => setTimeout(r, 500));
      expect((await effects(db, 'o3')).map((r) => r.who)).toEqual(['inline']);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('skip the once work of a subscriber whose inbox already holds the event', async () => {
    const { db } = shared;
    await createEffects(db);
    const bus = newBus(db, { ...FAST, instanceId: 'one' });
    const fresh: boolean[] = [];
    bus.subscribe('inline', OrderCreated, async (event, context) => void fresh.push(await context.once((tx) => recordEffect(tx, 'inline', event.payload.orderId))), {
      inline: true,
    });
    try {
      await bus.start();
      const event = OrderCreated.create({ orderId: 'o4', totalMinor: 1 });
      // Handled once before, its outbox row since purged: the republished id fans out anew.
      await db.query('insert into events.inbox (subscriber, event_id) values ($1, $2)', ['inline', event.id]);
      await db.transaction((tx) => bus.publish(tx, event));
      expect(fresh).toEqual([false]);
      expect(await effects(db, 'o4')).toEqual([]);
      expect((await deliveryRows(db)).map((d) => d.status)).toEqual(['done']);
    } finally {
      await bus.stop();
    }
  });
});
