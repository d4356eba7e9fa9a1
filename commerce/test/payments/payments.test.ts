import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrderRefundRequested } from '../../src/events/orders.events.ts';
import { PaymentCompleted, PaymentFailed, PaymentRefunded } from '../../src/events/payments.events.ts';
import { PAYMENTS_CONSUMED_EVENT_TYPES, PAYMENTS_PUBLISHED_EVENT_TYPES } from '../../src/modules/payments/index.ts';
import { signWebhookPayload } from '../../src/shared/webhooks/index.ts';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import {
  asAdmin,
  asCustomer,
  asGuest,
  CARDS,
  OrderCancelled,
  OrderCreated,
  orderCreated,
  outboxCount,
  paymentsIdle,
  publish,
  startPayments,
  waitFor,
  WEBHOOK_SECRET,
  type PaymentsFixture,
} from './support/payments-fixture.ts';

const CAPTURE_REQUESTED = 'payments.capture_requested.v1';

it('names, for the extraction wiring, exactly the event types payments consumes and publishes', () => {
  expect(PAYMENTS_CONSUMED_EVENT_TYPES).toEqual([OrderCreated.type, OrderCancelled.type, OrderRefundRequested.type]);
  expect(PAYMENTS_PUBLISHED_EVENT_TYPES).toEqual([PaymentCompleted.type, PaymentFailed.type, PaymentRefunded.type]);
});

describe.each(databaseEngines())('payments module on $name', ({ open, skip }) => {
  let opened: TestDatabase;
  let f: PaymentsFixture;
  beforeAll(async () => {
    if (skip) return;
    opened = await open();
    f = await startPayments(opened);
    // PGlite's WASM boot has taken over a minute on this shared two-core machine.
  }, 180_000);
  afterAll(async () => {
    await f?.close();
    await opened?.cleanup();
  });

  const outcomeFor = (orderId: string) => waitFor(() => f.received.find((e) => e.payload.orderId === orderId && e.type !== PaymentRefunded.type));
  const paymentOf = async (orderId: string) => {
    const res = await f.server.inject({ method: 'GET', url: `/api/admin/payments?orderId=${orderId}`, headers: asAdmin });
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: { id: string; state: string; intentId: string | null; failureCode: string | null; capturedMinor: number; refundedMinor: number }[] }).items[0];
  };
  /** The payment of a 3-D Secure order, once it waits for the shopper's confirmation. */
  const waitingForConfirmation = (orderId: string) =>
    waitFor(async () => {
      const p = await paymentOf(orderId);
      return p?.state === 'requires_confirmation' && p;
    });

  it.skipIf(skip)('charges a good card: authorized, captured once, one PaymentCompleted carrying the order conversation', async () => {
    const before = { ...f.sandbox.stats };
    const order = orderCreated(CARDS.ok, 2599);
    await publish(f, order);
    const completed = await outcomeFor(order.payload.orderId);
    expect(completed.type).toBe(PaymentCompleted.type);
    expect(completed.payload).toMatchObject({ orderId: order.payload.orderId, amountMinor: 2599, currency: 'EUR' });
    expect(completed.correlationId).toBe(order.id);
    expect(f.sandbox.stats.authorizations - before.authorizations).toBe(1);
    expect(f.sandbox.stats.captures - before.captures).toBe(1);
    const payment = await paymentOf(order.payload.orderId);
    expect(payment).toMatchObject({ id: completed.payload.paymentId, state: 'captured', capturedMinor: 2599 });
    const one = await f.server.inject({ method: 'GET', url: `/api/admin/payments/${payment!.id}`, headers: asAdmin });
    expect(one.json()).toMatchObject({ orderId: order.payload.orderId, state: 'captured' });
  });

  it.skipIf(skip)('captures within the charge; a capture that times out there is retried as its own CaptureRequested, once', async () => {
    const direct = orderCreated(CARDS.ok);
    await publish(f, direct);
    expect((await outcomeFor(direct.payload.orderId)).type).toBe(PaymentCompleted.type);
    expect(await outboxCount(f.db, CAPTURE_REQUESTED, direct.payload.orderId)).toBe(0);

    const before = { ...f.sandbox.stats };
    const captureCalls = f.calls.capture ?? 0;
    f.faults.captureTimeouts = 1;
    const retried = orderCreated(CARDS.ok);
    await publish(f, retried);
    const completed = await outcomeFor(retried.payload.orderId);
    expect(completed.type).toBe(PaymentCompleted.type);
    expect(await outboxCount(f.db, CAPTURE_REQUESTED, retried.payload.orderId)).toBe(1);
    expect((f.calls.capture ?? 0) - captureCalls).toBe(2);
    expect(f.sandbox.stats.captures - before.captures).toBe(1);
    expect(await outboxCount(f.db, PaymentCompleted.type, retried.payload.orderId)).toBe(1);
    expect(await paymentOf(retried.payload.orderId)).toMatchObject({ state: 'captured', capturedMinor: 2599 });
  });

  it.skipIf(skip)('ignores a webhook that arrives before the charge recorded the intent, and answers a repeat without moving anything', async () => {
    const order = orderCreated(CARDS.confirm);
    const { orderId } = order.payload;
    await publish(f, order);
    const waiting = await waitingForConfirmation(orderId);
    const webhook = await f.sandbox.completeConfirmation(waiting.intentId!);
    const post = (w: { payload: string; signatureHeader: string }) =>
      f.server.inject({ method: 'POST', url: '/api/payments/webhooks/gateway', headers: { 'content-type': 'application/json', 'stripe-signature': w.signatureHeader }, payload: w.payload });
    expect((await post(webhook)).json()).toMatchObject({ handled: 'moved' });
    expect((await post(webhook)).json()).toMatchObject({ handled: 'already' });
    const rejections = (await f.server.inject({ method: 'GET', url: '/api/admin/payments/webhook-rejections', headers: asAdmin })).json<{ total: number }>().total;

    // A signed webhook about an order whose charge has not recorded its intent yet (a fresh payment row).
    const early = orderCreated(CARDS.timeout);
    await publish(f, early);
    await waitFor(async () => (await paymentOf(early.payload.orderId)) !== undefined);
    const body = JSON.stringify({
      id: `evt_${crypto.randomUUID()}`,
      object: 'event',
      type: 'payment_intent.amount_capturable_updated',
      data: { object: { id: 'pi_early', object: 'payment_intent', amount: 2599, amount_capturable: 2599, currency: 'eur', status: 'requires_capture', metadata: { order_id: early.payload.orderId } } },
    });
    const answer = await post({ payload: body, signatureHeader: signWebhookPayload(body, WEBHOOK_SECRET, Math.floor(Date.now() / 1000)) });
    expect([answer.statusCode, answer.json()]).toEqual([200, { received: true, handled: 'ignored' }]);
    expect((await f.server.inject({ method: 'GET', url: '/api/admin/payments/webhook-rejections', headers: asAdmin })).json<{ total: number }>().total).toBe(rejections);
    await outcomeFor(early.payload.orderId);
  });

  it.skipIf(skip)('keeps the admin routes for admins', async () => {
    expect((await f.server.inject({ method: 'GET', url: '/api/admin/payments' })).statusCode).toBe(401);
    expect((await f.server.inject({ method: 'GET', url: '/api/admin/payments', headers: asCustomer })).statusCode).toBe(403);
    const missing = await f.server.inject({ method: 'GET', url: `/api/admin/payments/${crypto.randomUUID()}`, headers: asAdmin });
    expect(missing.statusCode).toBe(404);
  });

  it.skipIf(skip).each([
    [CARDS.declined, 'PAYMENTS.CARD_DECLINED'],
    [CARDS.insufficient, 'PAYMENTS.INSUFFICIENT_FUNDS'],
  ])('fails card %s with PaymentFailed %s and captures nothing', async (card, code) => {
    const before = { ...f.sandbox.stats };
    const order = orderCreated(card);
    await publish(f, order);
    const failed = await outcomeFor(order.payload.orderId);
    expect(failed.type).toBe(PaymentFailed.type);
    expect(failed.payload).toMatchObject({ code });
    expect(f.sandbox.stats.captures).toBe(before.captures);
    expect(await paymentOf(order.payload.orderId)).toMatchObject({ state: 'failed', failureCode: code });
  });

  it.skipIf(skip)('retries a timing-out gateway, then fails with PAYMENTS.GATEWAY_TIMEOUT on the last of 3 attempts', async () => {
    const calls = f.calls.createPaymentIntent ?? 0;
    const order = orderCreated(CARDS.timeout);
    await publish(f, order);
    const failed = await outcomeFor(order.payload.orderId);
    expect(failed.type).toBe(PaymentFailed.type);
    expect(failed.payload).toMatchObject({ code: 'PAYMENTS.GATEWAY_TIMEOUT' });
    expect((f.calls.createPaymentIntent ?? 0) - calls).toBe(3);
    // The delivery is completed just after the handler's commit (completions are batched), so it is awaited.
    const delivery = await waitFor(async () => {
      const [found] = await f.events.admin.listDeliveries({ subscriber: 'payments', eventId: order.id });
      return found?.status === 'processing' ? undefined : found;
    });
    expect(delivery).toMatchObject({ status: 'done', attempts: 3 });
    expect(await outboxCount(f.db, PaymentFailed.type, order.payload.orderId)).toBe(1);
  });

  it.skipIf(skip)('charges once when the same order arrives twice (same event, and a copy under another id)', async () => {
    const before = { ...f.sandbox.stats };
    const order = orderCreated(CARDS.ok);
    const copy = { ...order, id: crypto.randomUUID() };
    await publish(f, order);
    await publish(f, [order, copy]);
    await outcomeFor(order.payload.orderId);
    await waitFor(() => paymentsIdle(f.db));
    expect(f.sandbox.stats.authorizations - before.authorizations).toBe(1);
    expect(f.sandbox.stats.captures - before.captures).toBe(1);
    expect(await outboxCount(f.db, PaymentCompleted.type, order.payload.orderId)).toBe(1);
    expect(f.received.filter((e) => e.payload.orderId === order.payload.orderId)).toHaveLength(1);
  });

  it.skipIf(skip)('webhook and shopper confirmation racing on one payment: one capture request, one capture, one PaymentCompleted', async () => {
    const before = { ...f.sandbox.stats };
    const order = orderCreated(CARDS.confirm);
    const { orderId } = order.payload;
    await publish(f, order);
    const waiting = await waitingForConfirmation(orderId);
    const webhook = await f.sandbox.completeConfirmation(waiting.intentId!);
    const postWebhook = (w: { payload: string; signatureHeader: string }) =>
      f.server.inject({
        method: 'POST',
        url: '/api/payments/webhooks/gateway',
        headers: { 'content-type': 'application/json', 'stripe-signature': w.signatureHeader },
        payload: w.payload,
      });
    const confirm = () => f.server.inject({ method: 'POST', url: `/api/payments/${orderId}/confirm`, headers: asGuest });
    const answers = await Promise.all([postWebhook(webhook), confirm(), postWebhook(webhook), confirm(), postWebhook(webhook), confirm()]);
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.json<{ handled?: string }>().handled === 'moved').length).toBeLessThanOrEqual(1);

    await waitFor(() => f.received.some((e) => e.payload.orderId === orderId));
    // The gateway's own "captured" webhook arrives late, and twice: nothing more happens.
    const succeeded = f.sandbox.webhooks.at(-1)!;
    expect(JSON.parse(succeeded.payload).type).toBe('payment_intent.succeeded');
    expect((await postWebhook(succeeded)).json()).toMatchObject({ handled: 'already' });
    await postWebhook(succeeded);
    await waitFor(() => paymentsIdle(f.db));
    expect(await outboxCount(f.db, CAPTURE_REQUESTED, orderId)).toBe(1);
    expect(f.sandbox.stats.captures - before.captures).toBe(1);
    expect(await outboxCount(f.db, PaymentCompleted.type, orderId)).toBe(1);
    expect(await paymentOf(orderId)).toMatchObject({ state: 'captured' });
  });

  it.skipIf(skip)("answers the shopper's confirm only to a guest with the order token or an admin; anyone else gets 404", async () => {
    const order = orderCreated(CARDS.confirm);
    const { orderId } = order.payload;
    await publish(f, order);
    await waitFor(async () => (await paymentOf(orderId))?.state === 'requires_confirmation');
    const confirm = (headers: Record<string, string>) => f.server.inject({ method: 'POST', url: `/api/payments/${orderId}/confirm`, headers });
    const stranger = await confirm({});
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json()).toMatchObject({ error: 'PAYMENTS.PAYMENT_NOT_FOUND' });
    expect((await confirm(asCustomer)).statusCode).toBe(404);
    expect((await confirm({ 'x-order-token': 'not-the-token' })).statusCode).toBe(404);
    expect((await confirm(asGuest)).json()).toMatchObject({ orderId, state: 'requires_confirmation' });
    expect((await confirm(asAdmin)).json()).toMatchObject({ orderId, state: 'requires_confirmation' });
  });

  it.skipIf(skip)("shows an order's payment only to its customer, an admin or a guest with the order token; anyone else gets the unknown order's 404", async () => {
    const guestOrder = orderCreated(CARDS.confirm);
    const customer = crypto.randomUUID();
    const customerOrder = orderCreated(CARDS.confirm, 2599, {}, customer);
    await publish(f, [guestOrder, customerOrder]);
    const read = (orderId: string, headers: Record<string, string>) => f.server.inject({ method: 'GET', url: `/api/payments/${orderId}`, headers });
    for (const { orderId } of [guestOrder.payload, customerOrder.payload]) {
      await waitFor(async () => (await paymentOf(orderId))?.state === 'requires_confirmation');
    }
    const unknown = await read(crypto.randomUUID(), {});
    expect(unknown.statusCode).toBe(404);

    const guestId = guestOrder.payload.orderId;
    const stranger = await read(guestId, {});
    expect(stranger.statusCode).toBe(404);
    const { error, message } = unknown.json() as { error: string; message: string };
    expect(stranger.json()).toMatchObject({ error, message });
    expect((await read(guestId, asCustomer)).statusCode).toBe(404);
    expect((await read(guestId, { 'x-order-token': 'not-the-token' })).statusCode).toBe(404);
    expect((await read(guestId, asGuest)).json()).toEqual({ orderId: guestId, state: 'requires_confirmation', failureCode: null });
    expect((await read(guestId, asAdmin)).statusCode).toBe(200);

    const customerId = customerOrder.payload.orderId;
    expect((await read(customerId, asCustomer)).statusCode).toBe(404);
    expect((await read(customerId, { 'x-test-user': `${customer}:customer` })).json()).toMatchObject({ orderId: customerId, state: 'requires_confirmation' });
  });

  it.skipIf(skip)("takes the sandbox's 3-D Secure answer only from the order's customer, an admin or a guest with the order token", async () => {
    const order = orderCreated(CARDS.confirm);
    const { orderId } = order.payload;
    await publish(f, order);
    await waitFor(async () => (await paymentOf(orderId))?.state === 'requires_confirmation');
    const answer = (headers: Record<string, string>) =>
      f.server.inject({ method: 'POST', url: `/api/payments/${orderId}/sandbox-authentication`, headers, payload: { result: 'refused' } });
    const before = f.calls.completeConfirmation ?? 0;
    for (const headers of [{}, asCustomer, { 'x-order-token': 'not-the-token' }] as Record<string, string>[]) {
      const refused = await answer(headers);
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toMatchObject({ error: 'PAYMENTS.PAYMENT_NOT_FOUND' });
    }
    // Nobody else's answer reached the sandbox: the payment still waits for the shopper.
    expect(f.calls.completeConfirmation ?? 0).toBe(before);
    expect(await paymentOf(orderId)).toMatchObject({ state: 'requires_confirmation' });
    expect((await answer(asGuest)).statusCode).toBe(202);
    expect((f.calls.completeConfirmation ?? 0) - before).toBe(1);
  });

  it.skipIf(skip).each([
    ['another intent', (pi: string) => ({ id: `${pi}_other`, amount: 2599, currency: 'eur' })],
    ['another amount', (pi: string) => ({ id: pi, amount: 1, currency: 'eur' })],
    ['another currency', (pi: string) => ({ id: pi, amount: 2599, currency: 'usd' })],
  ])('rejects and counts a signed payment_intent.succeeded naming the order with %s; the payment does not move', async (_what, intentOf) => {
    const order = orderCreated(CARDS.confirm, 2599);
    const { orderId } = order.payload;
    await publish(f, order);
    const waiting = await waitingForConfirmation(orderId);
    const rejectionsBefore = (await f.server.inject({ method: 'GET', url: '/api/admin/payments/webhook-rejections', headers: asAdmin })).json<{ total: number }>().total;
    const forged = intentOf(waiting.intentId!);
    const body = JSON.stringify({
      id: `evt_${crypto.randomUUID()}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { ...forged, object: 'payment_intent', amount_received: forged.amount, status: 'succeeded', metadata: { order_id: orderId } } },
    });
    const answer = await f.server.inject({
      method: 'POST',
      url: '/api/payments/webhooks/gateway',
      headers: { 'content-type': 'application/json', 'stripe-signature': signWebhookPayload(body, WEBHOOK_SECRET, Math.floor(Date.now() / 1000)) },
      payload: body,
    });
    expect([answer.statusCode, answer.json()]).toEqual([200, { received: true, handled: 'rejected' }]);
    expect(await paymentOf(orderId)).toMatchObject({ state: 'requires_confirmation', intentId: waiting.intentId, capturedMinor: 0 });
    expect(await outboxCount(f.db, PaymentCompleted.type, orderId)).toBe(0);
    const rejections = await f.server.inject({ method: 'GET', url: '/api/admin/payments/webhook-rejections', headers: asAdmin });
    const listed = rejections.json<{ total: number; items: unknown[] }>();
    expect(listed.total).toBe(rejectionsBefore + 1);
    expect(listed.items[0]).toMatchObject({ orderId, intentId: forged.id });
    expect((await f.server.inject({ method: 'GET', url: '/api/admin/payments/webhook-rejections' })).statusCode).toBe(401);
  });

  it.skipIf(skip)('voids the intent of an order cancelled before its capture, once under its per-order key, and captures nothing after', async () => {
    const before = { ...f.sandbox.stats };
    const voidCalls = f.calls.voidAuthorization ?? 0;
    const order = orderCreated(CARDS.confirm);
    const { orderId, orderNumber } = order.payload;
    await publish(f, order);
    const waiting = await waitingForConfirmation(orderId);
    const expired = OrderCancelled.create({ orderId, orderNumber, reason: 'payment_expired', refundMinor: 0, currency: 'EUR' });
    await publish(f, [expired, { ...expired, id: crypto.randomUUID() }]);
    await waitFor(async () => (await paymentOf(orderId))?.state === 'voided');
    await waitFor(() => paymentsIdle(f.db));
    // Both cancellations may reach the gateway; the per-order key makes the second a replay.
    expect(f.sandbox.stats.voids - before.voids).toBe(1);
    expect((f.calls.voidAuthorization ?? 0) - voidCalls).toBeGreaterThanOrEqual(1);
    expect(await f.sandbox.retrieve(waiting.intentId!)).toMatchObject({ status: 'found', intent: { state: 'canceled' } });
    await expect(f.sandbox.completeConfirmation(waiting.intentId!)).rejects.toThrow(/not waiting for confirmation/);
    expect(f.sandbox.stats.captures).toBe(before.captures);
    expect(await outboxCount(f.db, PaymentCompleted.type, orderId)).toBe(0);
  });

  it.skipIf(skip)('refuses webhooks with a bad signature, an old timestamp or no signature (400); accepts a good one', async () => {
    const body = JSON.stringify({ id: 'evt_x', object: 'event', type: 'charge.updated', data: { object: {} } });
    const now = Math.floor(Date.now() / 1000);
    const post = (header?: string) =>
      f.server.inject({
        method: 'POST',
        url: '/api/payments/webhooks/gateway',
        headers: { 'content-type': 'application/json', ...(header ? { 'stripe-signature': header } : {}) },
        payload: body,
      });
    const wrongSecret = await post(signWebhookPayload(body, 'whsec_wrong', now));
    expect([wrongSecret.statusCode, wrongSecret.json().error]).toEqual([400, 'PAYMENTS.WEBHOOK_SIGNATURE_MISMATCH']);
    const old = await post(signWebhookPayload(body, WEBHOOK_SECRET, now - 3600));
    expect([old.statusCode, old.json().error]).toEqual([400, 'PAYMENTS.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE']);
    expect((await post()).statusCode).toBe(400);
    // Re-serialised JSON (what a parsed body would give) does not verify: the raw bytes are what count.
    const spaced = await f.server.inject({
      method: 'POST',
      url: '/api/payments/webhooks/gateway',
      headers: { 'content-type': 'application/json', 'stripe-signature': signWebhookPayload(body, WEBHOOK_SECRET, now) },
      payload: JSON.stringify(JSON.parse(body), null, 1),
    });
    expect(spaced.statusCode).toBe(400);
    const good = await post(signWebhookPayload(body, WEBHOOK_SECRET, now));
    expect([good.statusCode, good.json()]).toEqual([200, { received: true, handled: 'ignored' }]);
  });

  it.skipIf(skip)('refunds a paid order on OrderCancelled with refundMinor > 0, once, and ignores refundMinor 0', async () => {
    const order = orderCreated(CARDS.ok, 10_000); // room for a wrong second refund to go through
    const { orderId } = order.payload;
    await publish(f, order);
    await outcomeFor(orderId);
    const refunds = f.sandbox.stats.refunds;
    const cancelled = OrderCancelled.create({ orderId, orderNumber: order.payload.orderNumber, reason: 'admin', refundMinor: 3000, currency: 'EUR' });
    await publish(f, [cancelled, { ...cancelled, id: crypto.randomUUID(), payload: { ...cancelled.payload, refundMinor: 0 } }]);
    const refunded = await waitFor(() => f.received.find((e) => e.payload.orderId === orderId && e.type === PaymentRefunded.type));
    expect(refunded.payload).toMatchObject({ amountMinor: 3000, currency: 'EUR' });
    expect(refunded.causationId).toBe(cancelled.id);
    // Delivered again (as after a lost lease): the gateway replays the refund and nothing is counted twice.
    const delivery = await waitFor(async () => {
      const [found] = await f.events.admin.listDeliveries({ subscriber: 'payments', eventId: cancelled.id });
      return found?.status === 'done' ? found : undefined; // its batched completion has landed
    });
    await f.db.query(`update events.deliveries set status = 'pending', next_attempt_at = now() where id = $1`, [delivery.id]);
    await waitFor(async () => (await paymentsIdle(f.db)) && (await f.events.admin.listDeliveries({ subscriber: 'payments', eventId: cancelled.id }))[0]?.attempts === 2);
    expect(f.sandbox.stats.refunds - refunds).toBe(1);
    expect(await outboxCount(f.db, PaymentRefunded.type, orderId)).toBe(1);
    expect(await paymentOf(orderId)).toMatchObject({ state: 'partially_refunded', refundedMinor: 3000 });
  });
});
