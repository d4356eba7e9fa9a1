import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpServer } from '@shop/platform';
import type { EventBus } from '../../src/shared/events/index.ts';
import { createMemoryStore } from '../../src/shared/kv/index.ts';
import { createMailboxMailer, createNotificationsModule, createSmtpMailer, type Mailer } from '../../src/modules/notifications/index.ts';
import { parseEmail } from '../../src/modules/notifications/infrastructure/email-message.ts';
import { notificationsMigrations } from '../../src/modules/notifications/infrastructure/notifications.migrations.ts';
import { startTestSmtpServer } from './support/test-smtp.server.ts';
import { OrderCancelled, OrderCreated } from '../../src/events/orders.events.ts';
import { PaymentCompleted, PaymentFailed } from '../../src/events/payments.events.ts';
import { LabelPurchased, ShipmentStatusChanged } from '../../src/events/shipping.events.ts';
import { databaseEngines } from '../support/databases.ts';
import { deliveries, moduleServer, newBus, redeliver, settled, sharedModuleDatabase, silentLogger, waitFor } from '../support/module-harness.ts';
import { ADMIN, CUSTOMER, createTestAuthenticator } from '../support/test-authenticator.ts';

const FROM = 'Teapot Shop <shop@shop.test>';

const orderCreated = (orderId = randomUUID()) =>
  OrderCreated.create({
    orderId,
    orderNumber: 'SO-2001',
    customer: { userId: null, email: 'ada@example.test' },
    currency: 'EUR',
    subtotalMinor: 3998,
    shippingMinor: 490,
    totalMinor: 4488,
    lines: [{ variantId: randomUUID(), productId: randomUUID(), sku: 'TEA-1', name: 'Teapot', quantity: 2, unitPriceMinor: 1999, weightGrams: 600 }],
    shippingAddress: { name: 'Ada Lovelace', line1: '12 Rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' },
    shippingOption: { id: 'standard', name: 'Standard', priceMinor: 490 },
    paymentMethod: 'tok_visa',
  });

const paymentCompleted = (orderId: string) => PaymentCompleted.create({ orderId, paymentId: randomUUID(), amountMinor: 4488, currency: 'EUR' });

describe.each(databaseEngines())('notifications module on $name', (engine) => {
  const shared = sharedModuleDatabase(engine, notificationsMigrations, ['notifications.recipients', 'notifications.shipment_labels']);
  let mailDir: string;
  let running: { bus: EventBus; server: HttpServer } | undefined;

  beforeEach(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'notifications-'));
  });
  afterEach(async () => {
    await running?.bus.stop();
    await running?.server.close();
    running = undefined;
    await rm(mailDir, { recursive: true, force: true });
  });

  async function start(mailer: Mailer = createMailboxMailer({ dir: mailDir, from: FROM })) {
    const { db } = shared;
    const bus = newBus(db);
    const module = createNotificationsModule({ db, events: bus, mailer, auth: createTestAuthenticator(), logger: silentLogger, config: { shopName: 'Teapot Shop' } });
    const server = await moduleServer(module);
    await bus.start();
    running = { bus, server };
    return { db, bus, server };
  }

  const publish = (bus: EventBus, ...events: Parameters<EventBus['publish']>[1][]) => shared.db.transaction(async (tx) => void (await bus.publish(tx, events.flat())));
  const mailbox = async () => {
    const reader = createMailboxMailer({ dir: mailDir, from: FROM });
    const entries = await reader.listMessages({ limit: 100 });
    return Promise.all(entries.map(async (e) => (await reader.readMessage(e.id))!));
  };

  it.skipIf(engine.skip)('confirms an order once paid: nothing on OrderCreated, one send for PaymentCompleted redelivered and duplicated', async () => {
    const { db, bus } = await start();
    const event = orderCreated();
    await publish(bus, event);
    await settled(db);
    expect(await mailbox()).toHaveLength(0);
    const completed = paymentCompleted(event.payload.orderId);
    await publish(bus, completed, { ...completed, id: randomUUID() });
    await waitFor(async () => (await deliveries(db)).length === 3);
    await settled(db);
    await redeliver(db, completed.id, 'notifications');
    expect((await readdir(mailDir)).filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    const sends = await createMailboxMailer({ dir: mailDir, from: FROM }).listSends();
    expect(sends.map((m) => m.idempotencyKey)).toEqual([`order-confirmation:${event.payload.orderId}`]);
    const [mail] = await mailbox();
    expect(mail).toMatchObject({ to: ['ada@example.test'], subject: 'Teapot Shop: Order SO-2001 confirmed' });
    expect(mail!.text).toContain('Total:    €44.88');
  });

  it.skipIf(engine.skip)('OrderCreated redelivered, or duplicated with other content, keeps the first copy, with no inbox mark: the confirmation shows it', async () => {
    const { db, bus } = await start();
    const event = orderCreated();
    await publish(bus, event);
    await settled(db);
    // One statement keeps the first copy: no transaction with an inbox mark of its own per order.
    expect((await db.query<{ n: number }>(`select count(*)::int as n from events.inbox where subscriber = 'notifications'`)).rows[0]!.n).toBe(0);
    await redeliver(db, event.id, 'notifications');
    const changed = { ...event.payload, customer: { userId: null, email: 'grace@example.test' }, orderNumber: 'SO-9999' };
    await publish(bus, OrderCreated.create(changed));
    await settled(db);
    await publish(bus, paymentCompleted(event.payload.orderId));
    await waitFor(async () => (await readdir(mailDir)).some((f) => f.endsWith('.eml')));
    await settled(db);
    const mails = await mailbox();
    expect(mails.map((m) => [m.to, m.subject])).toEqual([[['ada@example.test'], 'Teapot Shop: Order SO-2001 confirmed']]);
  });

  it.skipIf(engine.skip)('PaymentFailed that arrives before OrderCreated is retried and sent once the order is known', async () => {
    const { db, bus } = await start();
    const created = orderCreated();
    const failed = PaymentFailed.create({ orderId: created.payload.orderId, paymentId: randomUUID(), code: 'PAYMENTS.CARD_DECLINED', reason: 'gateway said: do_not_honor 4000...0002' });
    await publish(bus, failed);
    // It has failed at least once for want of a recipient before the order is even published.
    await waitFor(async () => ((await deliveries(db))[0]?.attempts ?? 0) >= 2);
    expect(await mailbox()).toHaveLength(0);
    await publish(bus, created);
    const rows = await settled(db);
    expect(rows.find((r) => r.event_id === failed.id)!.last_error).toMatch(/No order recorded yet/);
    const sent = await mailbox();
    const paymentMail = sent.find((m) => m.subject.includes('Payment'));
    expect(sent).toHaveLength(1);
    expect(paymentMail).toMatchObject({ to: ['ada@example.test'], subject: 'Teapot Shop: Payment for order SO-2001 failed: the order is cancelled' });
    expect(paymentMail!.text).toContain('€44.88');
    expect(paymentMail!.text).toContain('Your card was declined by your bank.');
    expect(paymentMail!.text).not.toContain('do_not_honor');
  });

  it.skipIf(engine.skip)('an order whose payment expired gets one payment-failed email and no confirmation; an admin cancellation gets neither', async () => {
    const { db, bus } = await start();
    const expired = orderCreated();
    const byAdmin = orderCreated();
    const cancelled = (e: typeof expired, reason: 'payment_expired' | 'admin') =>
      OrderCancelled.create({ orderId: e.payload.orderId, orderNumber: e.payload.orderNumber, reason, refundMinor: 0, currency: 'EUR' });
    await publish(bus, expired, byAdmin);
    await settled(db);
    await publish(bus, cancelled(expired, 'payment_expired'), cancelled(expired, 'payment_expired'), cancelled(byAdmin, 'admin'));
    await waitFor(async () => (await deliveries(db)).length === 5);
    await settled(db);
    const sends = await createMailboxMailer({ dir: mailDir, from: FROM }).listSends();
    expect(sends.map((m) => m.idempotencyKey)).toEqual([`payment-failed:${expired.payload.orderId}`]);
    const [mail] = await mailbox();
    expect(mail!.text).toContain('The payment was not completed in time.');
    expect(mail!.text).toContain('The order is cancelled');
  });

  it.skipIf(engine.skip)('the shipped email carries the carrier and tracking number; delivered sends nothing', async () => {
    const { db, bus } = await start();
    const created = orderCreated();
    const { orderId } = created.payload;
    const shipmentId = randomUUID();
    const at = new Date().toISOString();
    await publish(bus, created, LabelPurchased.create({ orderId, shipmentId, carrier: 'sandbox-post', trackingNumber: 'SBX000123456789', labelUrl: 'http://x/l.pdf' }));
    await settled(db);
    await publish(
      bus,
      ShipmentStatusChanged.create({ orderId, shipmentId, trackingNumber: 'SBX000123456789', status: 'in_transit', at }),
      ShipmentStatusChanged.create({ orderId, shipmentId, trackingNumber: 'SBX000123456789', status: 'delivered', at }),
    );
    await waitFor(async () => (await deliveries(db)).length === 4);
    await settled(db);
    const shipped = (await mailbox()).filter((m) => m.subject.includes('on its way'));
    expect(shipped).toHaveLength(1);
    expect(shipped[0]).toMatchObject({ to: ['ada@example.test'], subject: 'Teapot Shop: Order SO-2001 is on its way' });
    expect(shipped[0]!.text).toContain('Tracking number: SBX000123456789');
    expect(shipped[0]!.text).toContain('sandbox-post');
  });

  it.skipIf(engine.skip)('admin mail endpoints: 401 anonymous, 403 customer, list and read for admins', async () => {
    const { db, bus, server } = await start();
    const created = orderCreated();
    await publish(bus, created, paymentCompleted(created.payload.orderId));
    await settled(db);
    const get = (url: string, headers: Record<string, string> = ADMIN) => server.inject({ method: 'GET', url, headers });

    expect((await get('/api/admin/mail', {})).statusCode).toBe(401);
    expect((await get('/api/admin/mail', CUSTOMER)).statusCode).toBe(403);
    const list = await get('/api/admin/mail');
    expect(list.statusCode).toBe(200);
    const [entry, ...more] = list.json().messages;
    expect(more).toHaveLength(0);
    expect(entry).toEqual({ id: expect.stringMatching(/^[0-9a-f]{64}$/), to: ['ada@example.test'], subject: 'Teapot Shop: Order SO-2001 confirmed', date: expect.any(String) });

    expect((await get(`/api/admin/mail/${entry.id}`, CUSTOMER)).statusCode).toBe(403);
    const eml = await get(`/api/admin/mail/${entry.id}`);
    expect([eml.statusCode, eml.headers['content-type']]).toEqual([200, 'text/plain; charset=utf-8']);
    expect((await parseEmail(eml.body)).subject).toBe('Teapot Shop: Order SO-2001 confirmed');
    const json = await get(`/api/admin/mail/${entry.id}?format=json`);
    expect(json.json()).toMatchObject({ id: entry.id, to: ['ada@example.test'], text: expect.stringContaining('Teapot') });
    expect((await get(`/api/admin/mail/${'0'.repeat(64)}`)).statusCode).toBe(404);
    expect((await get('/api/admin/mail/..%2F..%2Fetc%2Fpasswd')).statusCode).toBe(404);
  });

  it.skipIf(engine.skip)('over SMTP: the confirmation arrives at a real SMTP server, and the admin mailbox says nothing is captured', async () => {
    const smtp = await startTestSmtpServer();
    const mailer = createSmtpMailer({ transport: { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true }, from: FROM, sentKeys: createMemoryStore() });
    try {
      const { db, bus, server } = await start(mailer);
      const event = orderCreated();
      const completed = paymentCompleted(event.payload.orderId);
      await publish(bus, event, completed);
      await settled(db);
      await redeliver(db, completed.id, 'notifications');
      expect(smtp.messages).toHaveLength(1);
      const [arrived] = smtp.messages;
      expect(arrived!.rcptTo).toEqual(['ada@example.test']);
      expect(arrived!.mailFrom).toBe('shop@shop.test');
      const parsed = await parseEmail(arrived!.raw);
      expect(parsed.subject).toBe('Teapot Shop: Order SO-2001 confirmed');
      expect(parsed.text).toContain('2 x Teapot  €39.98');
      expect(parsed.html).toContain('€44.88');

      const admin = await server.inject({ method: 'GET', url: '/api/admin/mail', headers: ADMIN });
      expect([admin.statusCode, admin.json().error]).toEqual([404, 'NOTIFICATIONS.MAILBOX_DISABLED']);
      expect(admin.json().message).toMatch(/SMTP/);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });
});
