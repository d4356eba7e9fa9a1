import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTrackingModule, type TrackingConfig } from '../../src/modules/tracking/index.ts';
import { OrderCreated, OrderPaid } from '../../src/events/orders.events.ts';
import { claimMessages, spoolMessages } from '../../src/modules/tracking/infrastructure/outbox.repository.ts';
import { trackingMigrations } from '../../src/modules/tracking/infrastructure/tracking.migrations.ts';
import { migrate, type Database } from '../../src/shared/database/index.ts';
import { createEventBus, eventsMigrations, type EventBus } from '../../src/shared/events/index.ts';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { gatedDatabase, silentLogger, startReceiver, startShop, testAuth, waitFor } from './tracking.fixtures.ts';

const WRITE_KEY = `wk_${'k'.repeat(32)}`;
const noBus = { subscribe: () => undefined } as unknown as EventBus;
const FAST: Partial<TrackingConfig> = { flushMs: 20, idleMs: 20, backoff: { baseMs: 20, maxMs: 100 } };

const message = (i: number) => ({
  messageId: `m-${i}-${randomUUID()}`,
  type: 'track' as const,
  event: 'Test Event',
  anonymousId: 'anon-test',
  properties: { i },
  context: {},
  timestamp: new Date().toISOString(),
});

describe.each(databaseEngines())('tracking on $name', (engine) => {
  const shared = {} as TestDatabase;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    if (engine.skip) return;
    Object.assign(shared, await engine.open());
    await migrate(shared.db, [eventsMigrations, trackingMigrations]);
  }, 180_000);
  afterAll(async () => shared.cleanup?.());
  beforeEach(async () => {
    if (engine.skip) return;
    await shared.db.exec(
      'truncate tracking.outbox, tracking.orders restart identity; truncate events.outbox, events.deliveries, events.subscriptions, events.inbox restart identity cascade',
    );
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(options: { db?: Database; url?: string; bus?: EventBus; config?: Partial<TrackingConfig> } = {}) {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.stop());
    const tracking = createTrackingModule({
      db: options.db ?? shared.db,
      auth: testAuth,
      events: options.bus ?? noBus,
      logger: silentLogger,
      config: { analyticsUrl: options.url ?? receiver.url, writeKey: WRITE_KEY, flushMs: 20, batchSize: 100, ...FAST, ...options.config },
    });
    const shop = await startShop(tracking.api);
    cleanups.push(async () => {
      await shop.close();
      await tracking.stop?.();
    });
    return { receiver, tracking, shop };
  }

  it.skipIf(engine.skip)('sends the tracked answers to the collector as Segment batches with Basic auth', async () => {
    const { receiver, tracking, shop } = await setup();
    await tracking.start?.();
    const first = await shop.inject({ method: 'GET', url: '/api/products/linen-shirt', headers: { 'user-agent': 'test-agent' } });
    const cookie = first.cookies.find((c) => c.name === 'ajs_anonymous_id');
    expect(cookie?.value).toMatch(/^[0-9a-f-]{36}$/);
    const anon = { cookie: `ajs_anonymous_id=${cookie!.value}` };
    // A client that reports views itself (the storefront rendering a page): its read is no view, and sets no id.
    const rendered = await shop.inject({ method: 'GET', url: '/api/products/linen-shirt', headers: { 'x-view-tracking': 'client' } });
    expect(rendered.statusCode).toBe(200);
    expect(rendered.cookies.find((c) => c.name === 'ajs_anonymous_id')).toBeUndefined();
    await shop.inject({ method: 'GET', url: '/api/products?q=linen', headers: anon });
    await shop.inject({ method: 'GET', url: '/api/products' }); // no q: not a search
    await shop.inject({ method: 'GET', url: '/api/products/missing', headers: anon }); // 404: nothing
    await shop.inject({ method: 'GET', url: '/api/categories', headers: anon }); // untracked route
    const variantId = randomUUID();
    await shop.inject({ method: 'POST', url: '/api/cart/items', headers: { ...anon, 'x-test-user': 'user-1' }, payload: { variantId, quantity: 2 } });
    await shop.inject({ method: 'POST', url: '/api/checkout', headers: anon, payload: {} });
    await shop.inject({ method: 'POST', url: '/api/auth/register', headers: anon, payload: {} });

    const messages = await waitFor(() => receiver.messages().length >= 6 && receiver.messages());
    expect(messages.map((m) => `${m.type}:${m.event ?? m.name}`)).toEqual([
      'page:Product',
      'track:Product Viewed',
      'track:Products Searched',
      'track:Product Added',
      'track:Checkout Started',
      'track:Signed Up',
    ]);
    const batch = receiver.batches[0]!;
    expect(batch.headers.authorization).toBe(`Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`);
    for (const { body } of receiver.batches) {
      expect(Date.parse(body.sentAt)).toBeGreaterThan(0);
      // Each message keeps the time it happened; sentAt (send time) lets the collector correct it.
      for (const m of body.batch) expect(Date.parse(m.timestamp as string)).toBeLessThanOrEqual(Date.parse(body.sentAt));
    }
    for (const m of messages) {
      expect(m).toMatchObject({ anonymousId: cookie!.value, context: { library: { name: 'shop-commerce-tracking' } } });
      expect(typeof m.messageId).toBe('string');
    }
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(6);
    expect(messages[0]).toMatchObject({ properties: { slug: 'linen-shirt', path: '/products/linen-shirt' }, context: { page: { path: '/products/linen-shirt' }, userAgent: 'test-agent' } });
    expect(messages[2]).toMatchObject({ properties: { query: 'linen' } });
    expect(messages[3]).toMatchObject({ userId: 'user-1', properties: { variant: variantId, quantity: 2 } });
    expect(messages[4]).toMatchObject({ properties: { order_id: '0b7e6f3c-2a7d-4c55-9a55-6f1c2b3d4e5f' } });
    expect(messages[5]).toMatchObject({ userId: '11111111-2222-4333-8444-555555555555' });
    await waitFor(async () => (await tracking.api.stats()).spooled === 0);
    expect(await tracking.api.stats()).toMatchObject({ forwarded: 6, droppedInvalid: 0, buffered: 0 });
  });

  it.skipIf(engine.skip)('sends Order Completed with revenue in major units once the order is paid', async () => {
    const bus = createEventBus({ db: shared.db, logger: silentLogger, options: { pollIntervalMs: 30, retry: { baseDelayMs: 10, maxDelayMs: 50 } } });
    const { receiver, tracking, shop } = await setup({ bus });
    await bus.start();
    cleanups.push(() => bus.stop());
    await tracking.start?.();
    const orderId = '0b7e6f3c-2a7d-4c55-9a55-6f1c2b3d4e5f';
    const userId = randomUUID();
    const line = { variantId: randomUUID(), productId: randomUUID(), sku: 'SKU-1', name: 'Linen shirt', quantity: 2, unitPriceMinor: 1000, weightGrams: 300 };
    const address = { name: 'Ada', line1: '1 Road', city: 'Paris', postalCode: '75001', country: 'FR' };
    // The checkout answer records the shopper's anonymous id for the order.
    await shop.inject({ method: 'POST', url: '/api/checkout', headers: { cookie: 'ajs_anonymous_id=anon-checkout-1' }, payload: {} });
    // Paid is published first: the handler waits (retries) until OrderCreated was handled.
    await shared.db.transaction((tx) =>
      bus.publish(tx, OrderPaid.create({ orderId, orderNumber: 'SO-1', customerEmail: 'ada@example.com', shippingAddress: address, shippingOptionId: 'std', lines: [line] })),
    );
    await shared.db.transaction((tx) =>
      bus.publish(
        tx,
        OrderCreated.create({
          orderId,
          orderNumber: 'SO-1',
          customer: { userId, email: 'ada@example.com' },
          currency: 'EUR',
          subtotalMinor: 2000,
          shippingMinor: 495,
          totalMinor: 2495,
          lines: [line],
          shippingAddress: address,
          shippingOption: { id: 'std', name: 'Standard', priceMinor: 495 },
          paymentMethod: 'tok_visa',
        }),
      ),
    );
    const completed = await waitFor(() => receiver.messages().find((m) => m.event === 'Order Completed'));
    expect(completed).toMatchObject({
      messageId: `order-completed-${orderId}`,
      type: 'track',
      userId,
      anonymousId: 'anon-checkout-1',
      properties: { order_id: orderId, revenue: 24.95, total: 24.95, currency: 'EUR', products: [{ sku: 'SKU-1', quantity: 2, price: 10 }] },
    });
    const { rows } = await shared.db.query('select * from tracking.orders');
    expect(rows).toEqual([]);

    // A crash between the handler's commit and its delivery's "done" redelivers OrderPaid after the order's facts
    // were forgotten: it must complete as already done, not retry until it is dead.
    await shared.db.query(`update events.deliveries set status = 'pending', attempts = 0, next_attempt_at = now() where subscriber = 'tracking' and event_type = $1`, [OrderPaid.type]);
    await waitFor(async () => {
      const { rows: left } = await shared.db.query<{ status: string }>(`select status from events.deliveries where subscriber = 'tracking' and event_type = $1`, [OrderPaid.type]);
      return left.length === 1 && left[0]!.status !== 'pending' && left[0]!.status !== 'processing' ? left[0] : undefined;
    }).then((d) => expect(d.status).toBe('done'));
    expect(receiver.messages().filter((m) => m.event === 'Order Completed')).toHaveLength(1);
  });

  it.skipIf(engine.skip)('keeps every event while the collector is down and delivers them all once it is back', async () => {
    const { receiver, tracking } = await setup();
    await receiver.stop(); // connection refused from now on
    await spoolMessages(shared.db, Array.from({ length: 230 }, (_, i) => message(i)));
    await tracking.start?.();
    await waitFor(async () => (await tracking.api.stats()).failedSends >= 3);
    expect((await tracking.api.stats()).spooled).toBe(230);
    receiver.setMode('unavailable');
    await receiver.start(); // up, but answering 503: still kept
    await waitFor(async () => (await tracking.api.stats()).failedSends >= 5);
    expect((await tracking.api.stats()).spooled).toBe(230);
    receiver.setMode('ok');
    await waitFor(async () => (await tracking.api.stats()).spooled === 0);
    const received = receiver.messages().map((m) => (m.properties as { i: number }).i);
    expect(received.sort((a, b) => a - b)).toEqual(Array.from({ length: 230 }, (_, i) => i));
    expect(receiver.batches.every((b) => b.body.batch.length <= 100)).toBe(true);
    expect((await tracking.api.stats()).droppedInvalid).toBe(0);
  });

  it.skipIf(engine.skip)('drops and counts a batch the collector refuses as invalid (400)', async () => {
    const { receiver, tracking } = await setup();
    receiver.setMode('invalid');
    await spoolMessages(shared.db, [message(1), message(2), message(3)]);
    await tracking.start?.();
    await waitFor(async () => (await tracking.api.stats()).spooled === 0);
    expect(await tracking.api.stats()).toMatchObject({ droppedInvalid: 3, forwarded: 0 });
    expect(receiver.batches).toEqual([]);
  });

  it.skipIf(engine.skip)('answers requests normally while the spool hangs or fails, and spools the events once it recovers', async () => {
    const gated = gatedDatabase(shared.db);
    const { receiver, tracking, shop } = await setup({ db: gated.db });
    await tracking.start?.();
    gated.set('hang'); // every spool statement waits forever
    for (let i = 0; i < 5; i++) {
      const res = await shop.inject({ method: 'GET', url: `/api/products/p-${i}` });
      expect(res.statusCode).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 100)); // several flush ticks, all stuck
    expect(receiver.messages()).toEqual([]);
    gated.set('fail'); // the stuck statements now fail, and so does every new one
    const res = await shop.inject({ method: 'POST', url: '/api/cart/items', payload: { variantId: randomUUID(), quantity: 1 } });
    expect(res.statusCode).toBe(200);
    gated.set('open');
    await waitFor(() => receiver.messages().length === 11 && receiver.messages());
    expect(receiver.messages().filter((m) => m.event === 'Product Viewed')).toHaveLength(5);
  });

  it.skipIf(engine.skip)('lets two forwarders claim disjoint batches (SKIP LOCKED)', async () => {
    await spoolMessages(shared.db, Array.from({ length: 150 }, (_, i) => message(i)));
    const [a, b] = await Promise.all([claimMessages(shared.db, 100, 30_000), claimMessages(shared.db, 100, 30_000)]);
    const ids = [...a, ...b].map((m) => m.id);
    expect(ids).toHaveLength(150);
    expect(new Set(ids).size).toBe(150);
    expect(await claimMessages(shared.db, 100, 30_000)).toEqual([]); // all leased
  });

  it.skipIf(engine.skip)('is a no-op without an analytics URL or write key', async () => {
    const tracking = createTrackingModule({ db: shared.db, auth: testAuth, events: noBus, logger: silentLogger, config: { flushMs: 20, batchSize: 100 } });
    const shop = await startShop(tracking.api);
    cleanups.push(() => shop.close());
    await tracking.start?.();
    const res = await shop.inject({ method: 'GET', url: '/api/products/linen' });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'ajs_anonymous_id')).toBeUndefined();
    await tracking.api.flush();
    expect(await tracking.api.stats()).toMatchObject({ enabled: false, spooled: 0, buffered: 0 });
    await tracking.stop?.();
  });
});
