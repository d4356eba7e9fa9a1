import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { realEngine } from '@shop/platform/testing';
import { PaymentCompleted, PaymentFailed, PaymentRefunded } from '../../src/events/payments.events.ts';
import { PAYMENTS_CONSUMED_EVENT_TYPES, PAYMENTS_PUBLISHED_EVENT_TYPES } from '../../src/modules/payments/index.ts';
import { migrate } from '../../src/shared/database/index.ts';
import { createEventBus, createNatsInbound, createNatsRelay, type DomainEvent } from '../../src/shared/events/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { freePort, runTs, waitFor as waitForUrl } from '../support/process.ts';
import { CARDS, OrderCancelled, orderCreated, silentLogger, waitFor } from './support/payments-fixture.ts';

const nats = await realEngine('nats');
const postgres = databaseEngines().find((e) => e.name === 'postgres')!;

/**
 * Seed phase 2 for real: `payments-main.ts` runs as a child process on its own database, and a
 * monolith-side bus on another database talks to it only through NATS JetStream, wired as
 * app.ts does with PAYMENTS_MODE=remote (relay the consumed types out, take the published ones in).
 */
describe.skipIf(!nats.available || postgres.skip)('payments as a separate process over NATS JetStream', () => {
  it('an OrderCreated published in the monolith comes back as PaymentCompleted; a paid cancellation as PaymentRefunded', async () => {
    const run = randomUUID().slice(0, 8);
    const common = { url: nats.url, stream: `TEST_PAYMENTS_${run}`, subjectPrefix: `test_${run}.events`, logger: silentLogger };
    const [monolith, paymentsDb] = [await postgres.open(), await postgres.open()];
    const port = await freePort();
    const child = runTs('commerce/src/payments-main.ts', {
      PAYMENTS_PORT: String(port),
      PAYMENTS_DATABASE_URL: paymentsDb.url!,
      EVENTS_NATS_URL: nats.url,
      EVENTS_NATS_STREAM: common.stream,
      EVENTS_NATS_SUBJECT_PREFIX: common.subjectPrefix,
      EVENTS_POLL_INTERVAL_MS: '50',
      LOG_LEVEL: 'warn',
    });

    // The monolith side: no payments module, only the relay out and the inbound back.
    const bus = createEventBus({ db: monolith.db, logger: silentLogger, options: { pollIntervalMs: 50 } });
    const received: DomainEvent[] = [];
    for (const definition of [PaymentCompleted, PaymentFailed, PaymentRefunded] as const) {
      bus.subscribe('orders', definition as typeof PaymentCompleted, async (event) => void received.push(event));
    }
    const relay = createNatsRelay({ ...common, bus, eventTypes: PAYMENTS_CONSUMED_EVENT_TYPES });
    const inbound = createNatsInbound({ ...common, bus, db: monolith.db, eventTypes: PAYMENTS_PUBLISHED_EVENT_TYPES, durable: 'commerce' });
    try {
      await migrate(monolith.db, [bus.migrations]);
      await relay.start();
      await inbound.start();
      await bus.start();
      await waitForUrl(`http://127.0.0.1:${port}/ready`, 120_000).catch((error: unknown) => {
        throw new Error(`${String(error)}\n${child.output().slice(-3000)}`);
      });

      const order = orderCreated(CARDS.ok, 4200);
      const { orderId } = order.payload;
      await monolith.db.transaction((tx) => bus.publish(tx, order));
      const completed = await waitFor(() => received.find((e) => e.type === PaymentCompleted.type));
      expect(completed.payload).toMatchObject({ orderId, amountMinor: 4200, currency: 'EUR' });
      expect(completed.correlationId).toBe(order.id);

      const declined = orderCreated(CARDS.declined);
      await monolith.db.transaction((tx) => bus.publish(tx, declined));
      const failed = await waitFor(() => received.find((e) => e.type === PaymentFailed.type));
      expect(failed.payload).toMatchObject({ orderId: declined.payload.orderId, code: 'PAYMENTS.CARD_DECLINED' });

      const cancelled = OrderCancelled.create({ orderId, orderNumber: order.payload.orderNumber, reason: 'customer', refundMinor: 4200, currency: 'EUR' });
      await monolith.db.transaction((tx) => bus.publish(tx, cancelled));
      const refunded = await waitFor(() => received.find((e) => e.type === PaymentRefunded.type));
      expect(refunded.payload).toMatchObject({ orderId, amountMinor: 4200 });

      // Each side stored only its own half: the payments rows live in the payments process's database alone.
      const paymentRows = await paymentsDb.db.query<{ state: string }>('select state from payments.payments where order_id = $1', [orderId]);
      expect(paymentRows.rows).toEqual([{ state: 'refunded' }]);
      const monolithSchemas = await monolith.db.query(`select 1 from information_schema.schemata where schema_name = 'payments'`);
      expect(monolithSchemas.rows).toHaveLength(0);
      expect(received.filter((e) => e.type === PaymentCompleted.type)).toHaveLength(1);
    } finally {
      child.child.kill('SIGTERM');
      const exited = await child.exited;
      await bus.stop();
      await inbound.stop();
      await relay.stop();
      const admin = await connect({ servers: nats.url });
      await jetstreamManager(admin)
        .then((jsm) => jsm.streams.delete(common.stream))
        .catch(() => undefined);
      await admin.close();
      await monolith.cleanup();
      await paymentsDb.cleanup();
      expect(exited.code, child.output().slice(-2000)).toBe(0);
    }
  }, 180_000);
});
