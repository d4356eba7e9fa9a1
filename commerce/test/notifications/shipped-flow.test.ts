import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetricsRegistry, createServer } from '@shop/platform';
import { migrate } from '../../src/shared/database/index.ts';
import { OrderCreated, OrderPaid } from '../../src/events/orders.events.ts';
import { createMailboxMailer, createNotificationsModule } from '../../src/modules/notifications/index.ts';
import { createSandboxCarrier, createShippingModule } from '../../src/modules/shipping/index.ts';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { newBus, silentLogger, waitFor } from '../support/module-harness.ts';
import { ADMIN, createTestAuthenticator } from '../support/test-authenticator.ts';

// Wired as app.ts wires them, through the modules' public entries only: the demo path from a
// paid order to the "on its way" email, moved by the admin's sandbox route.
describe.each(databaseEngines())('paid order to shipped email on $name', (engine) => {
  let opened: TestDatabase | undefined;
  // Booting an engine (PGlite's WASM above all) is slow on a busy machine: a hook has the longer timeout.
  beforeAll(async () => {
    if (!engine.skip) opened = await engine.open();
  }, 180_000);
  afterAll(() => opened?.cleanup());

  it.skipIf(engine.skip)('an admin advancing the sandbox parcel makes the customer receive the tracking number', async () => {
    const { db } = opened!;
    const mailDir = await mkdtemp(join(tmpdir(), 'flow-'));
    const events = newBus(db);
    const auth = createTestAuthenticator();
    const carrier = createSandboxCarrier({
      rates: { currency: 'EUR', standardFlatMinor: 490, expressBaseMinor: 990, expressPer500gMinor: 150, freeStandardFromMinor: 5_000, maxWeightGrams: 30_000 },
      webhookSecret: randomBytes(32).toString('hex'),
      countries: ['FR'],
      labelBaseUrl: 'https://sandbox-post.invalid/labels',
    });
    const mailbox = createMailboxMailer({ dir: mailDir, from: 'Shop <shop@shop.test>' });
    const shipping = createShippingModule({ db, events, provider: carrier, sandbox: carrier, auth, logger: silentLogger });
    const notifications = createNotificationsModule({ db, events, mailer: mailbox, auth, logger: silentLogger, config: { shopName: 'Shop' } });
    await migrate(db, [events.migrations, shipping.migrations, notifications.migrations]);
    const server = await createServer({ logger: silentLogger, title: 't', description: 't', metrics: createMetricsRegistry('flow_test') });
    await server.register(
      async (api) => {
        for (const m of [shipping, notifications]) await m.routes(api);
      },
      { prefix: '/api' },
    );
    await server.ready();
    await events.start();
    try {
      const orderId = randomUUID();
      const line = { variantId: randomUUID(), productId: randomUUID(), sku: 'TEA-1', name: 'Teapot', quantity: 1, unitPriceMinor: 1999, weightGrams: 900 };
      const address = { name: 'Ada Lovelace', line1: '12 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };
      await db.transaction(async (tx) => {
        await events.publish(tx, [
          OrderCreated.create({
            orderId,
            orderNumber: 'SO-3001',
            customer: { userId: null, email: 'ada@example.test' },
            currency: 'EUR',
            subtotalMinor: 1999,
            shippingMinor: 490,
            totalMinor: 2489,
            lines: [line],
            shippingAddress: address,
            shippingOption: { id: 'standard', name: 'Standard', priceMinor: 490 },
            paymentMethod: 'tok_visa',
          }),
          OrderPaid.create({ orderId, orderNumber: 'SO-3001', customerEmail: 'ada@example.test', shippingAddress: address, shippingOptionId: 'standard', lines: [line] }),
        ]);
      });
      const shipment = await waitFor(async () => {
        const r = await server.inject({ method: 'GET', url: `/api/admin/shipments?orderId=${orderId}`, headers: ADMIN });
        return r.json().shipments[0] as { id: string; trackingNumber: string } | undefined;
      });
      const moved = await server.inject({ method: 'POST', url: `/api/admin/shipments/${shipment.id}/advance`, headers: ADMIN, payload: { status: 'in_transit' } });
      expect(moved.json()).toMatchObject({ webhookStatus: 200, shipment: { status: 'in_transit' } });
      const shipped = await waitFor(async () => (await mailbox.listMessages()).find((m) => m.subject === 'Shop: Order SO-3001 is on its way'));
      const message = await mailbox.readMessage(shipped.id);
      expect(message).toMatchObject({ to: ['ada@example.test'], text: expect.stringContaining(`Tracking number: ${shipment.trackingNumber}`) });
    } finally {
      await events.stop();
      await server.close();
      await rm(mailDir, { recursive: true, force: true });
    }
  });
});
