import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { realEngine } from '@shop/platform/testing';
import { migrate, type Database } from '../../src/shared/database/index.ts';
import {
  createNatsInbound,
  createNatsRelay,
  eventsMigrations,
  eventSubject,
  type DomainEvent,
  type EventOf,
} from '../../src/shared/events/index.ts';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { newBus, OrderCreated, PaymentCompleted, silentLogger, waitFor } from './event-bus.fixtures.ts';

const nats = await realEngine('nats');
// Real Postgres starts a database far faster than PGlite boots on a busy machine; either proves the same.
const engine = databaseEngines().find((e) => e.name === 'postgres' && !e.skip) ?? databaseEngines()[0]!;

async function openMigrated(): Promise<TestDatabase> {
  const opened = await engine.open();
  await migrate(opened.db, [eventsMigrations]);
  return opened;
}

const countOutbox = async (db: Database, type: string) =>
  (await db.query<{ n: number }>('select count(*)::int as n from events.outbox where type = $1', [type])).rows[0]?.n;

describe.skipIf(!nats.available)(`orders and a separate payments service over NATS JetStream (${engine.name})`, () => {
  it('round-trips order_created out and payment_completed back, idempotent on redelivery', async () => {
    const run = randomUUID().slice(0, 8);
    const common = { url: nats.url, stream: `TEST_EVENTS_${run}`, subjectPrefix: `test_${run}.events`, logger: silentLogger };
    const [monolith, payments] = [await openMigrated(), await openMigrated()];

    // The monolith: orders publishes OrderCreated and waits for PaymentCompleted, knowing nothing of NATS.
    const orderBus = newBus(monolith.db);
    const paid: EventOf<typeof PaymentCompleted>[] = [];
    orderBus.subscribe('orders', PaymentCompleted, async (event) => void paid.push(event));
    const relayOut = createNatsRelay({ ...common, bus: orderBus, eventTypes: [OrderCreated.type] });
    const inboundBack = createNatsInbound({ ...common, bus: orderBus, db: monolith.db, eventTypes: [PaymentCompleted.type], durable: 'monolith' });

    // The payments process: its own database and bus, fed over NATS.
    const paymentBus = newBus(payments.db);
    const charged: string[] = [];
    paymentBus.subscribe('payments', OrderCreated, async (event, ctx) => {
      await ctx.once(async (tx) => {
        charged.push(event.payload.orderId);
        await paymentBus.publish(tx, PaymentCompleted.create({ orderId: event.payload.orderId }, { causedBy: event }));
      });
    });
    const relayBack = createNatsRelay({ ...common, bus: paymentBus, eventTypes: [PaymentCompleted.type] });
    const inboundOrders = createNatsInbound({ ...common, bus: paymentBus, db: payments.db, eventTypes: [OrderCreated.type], durable: 'payments' });

    const parts = [relayOut, inboundBack, relayBack, inboundOrders];
    const buses = [orderBus, paymentBus];
    const admin = await connect({ servers: nats.url });
    try {
      for (const p of parts) await p.start();
      for (const b of buses) await b.start();

      const order = OrderCreated.create({ orderId: 'o-1', totalMinor: 4200 });
      await monolith.db.transaction((tx) => orderBus.publish(tx, order));
      await waitFor(() => paid.length === 1);
      expect(paid[0]?.payload).toEqual({ orderId: 'o-1' });
      expect([paid[0]?.correlationId, paid[0]?.causationId]).toEqual([order.id, order.id]);

      // The relay is a tracked subscriber, and JetStream got the event id as its dedup id.
      const relayed = await waitFor(async () => (await orderBus.admin.listDeliveries({ subscriber: 'nats-relay', status: 'done' }))[0]);
      expect(relayed.eventId).toBe(order.id);
      const jsm = await jetstreamManager(admin);
      const stored = await jsm.streams.getMessage(common.stream, { last_by_subj: eventSubject(common.subjectPrefix, OrderCreated.type) });
      expect(stored?.header.get('Nats-Msg-Id')).toBe(order.id);

      // The same event arriving again under another message id (say, republished after the dedup
      // window) is stored once, so payments charges once. The next order, behind it in the stream,
      // proves the duplicate was already taken in.
      const js = jetstream(admin);
      await js.publish(eventSubject(common.subjectPrefix, OrderCreated.type), JSON.stringify(order), { msgID: randomUUID() });
      const next = OrderCreated.create({ orderId: 'o-2', totalMinor: 100 });
      await monolith.db.transaction((tx) => orderBus.publish(tx, next));
      await waitFor(() => paid.length === 2);
      expect(charged).toEqual(['o-1', 'o-2']);
      expect(await countOutbox(payments.db, OrderCreated.type)).toBe(2);
      expect(await countOutbox(monolith.db, PaymentCompleted.type)).toBe(2);
      expect(paid.map((e: DomainEvent) => e.causationId)).toEqual([order.id, next.id]);
    } finally {
      for (const b of buses) await b.stop();
      for (const p of parts) await p.stop();
      await jetstreamManager(admin)
        .then((jsm) => jsm.streams.delete(common.stream))
        .catch(() => undefined);
      await admin.close();
      await monolith.cleanup();
      await payments.cleanup();
    }
  });
});
