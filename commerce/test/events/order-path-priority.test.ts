import { describe, expect, it } from 'vitest';
import { databaseEngines } from '../support/databases.ts';
import { deliveryRows, FAST, newBus, OrderCreated, PaymentCompleted, sharedEventsDatabase, waitFor } from './event-bus.fixtures.ts';

describe.each(databaseEngines())('order-path deliveries on $name', (engine) => {
  const { skip } = engine;
  const shared = sharedEventsDatabase(engine);

  it.skipIf(skip)('overtake queued deliveries of other subscriptions and find a slot while those fill the rest', async () => {
    const { db } = shared;
    const bus = newBus(db, { ...FAST, concurrency: 2, orderPathSlots: 1 });
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    bus.subscribe('mail', OrderCreated, async (e) => {
      started.push(`mail:${e.payload.orderId}`);
      await gate;
    });
    bus.subscribe('orders', PaymentCompleted, async (e) => void started.push(`paid:${e.payload.orderId}`), { priority: 'order-path' });
    try {
      await bus.start();
      for (const orderId of ['a', 'b', 'c']) await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId, totalMinor: 1 })));
      // The one shared slot runs mail:a; mail:b and mail:c wait for it.
      await waitFor(async () => (await deliveryRows(db)).filter((d) => d.subscriber === 'mail').length === 3);
      await db.transaction((tx) => bus.publish(tx, PaymentCompleted.create({ orderId: 'a' })));
      await deliveryRows(db);
      release();
      await waitFor(async () => {
        const rows = await deliveryRows(db);
        return rows.length === 4 && rows.every((d) => d.status === 'done');
      });
      expect(started).toEqual(['mail:a', 'paid:a', 'mail:b', 'mail:c']);
    } finally {
      release();
      await bus.stop();
    }
  });
});
