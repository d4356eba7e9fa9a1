import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentCompleted } from '../../src/events/payments.events.ts';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { CARDS, orderCreated, publish, startPayments, waitFor, type PaymentsFixture } from './support/payments-fixture.ts';

/**
 * The gateway's two webhooks about a card paid in one step report what the charge learns from the
 * gateway's own answers. In the process that runs the charge they are answered from what it has
 * in flight or committed, without reading the payment row; their answers are those a read gives.
 */
describe.each(databaseEngines())('webhooks about this process’s own charges on $name', ({ open, skip }) => {
  let opened: TestDatabase;
  let f: PaymentsFixture;
  const statements: string[] = [];
  beforeAll(async () => {
    if (skip) return;
    opened = await open((text) => statements.push(text));
    f = await startPayments(opened);
  }, 180_000);
  afterAll(async () => {
    await f?.close();
    await opened?.cleanup();
  });

  const paymentReads = () => statements.filter((s) => /from payments\.payments\b/.test(s) && !/for update/.test(s)).length;
  const post = (w: { payload: string; signatureHeader: string }) =>
    f.server.inject({ method: 'POST', url: '/api/payments/webhooks/gateway', headers: { 'content-type': 'application/json', 'stripe-signature': w.signatureHeader }, payload: w.payload });
  const webhooksOf = (orderId: string) => f.sandbox.webhooks.filter((w) => w.payload.includes(orderId));

  it.skipIf(skip)('in flight: ignored; committed: already; neither reads the payment', async () => {
    let release!: () => void;
    f.faults.captureGate = new Promise<void>((r) => (release = r));
    const order = orderCreated(CARDS.ok);
    const { orderId } = order.payload;
    await publish(f, order);
    // Authorized, the capture held at the gateway's door: the charge is in flight.
    const [authorized] = await waitFor(() => (webhooksOf(orderId).length === 1 ? webhooksOf(orderId) : undefined));
    const before = paymentReads();
    expect((await post(authorized!)).json()).toMatchObject({ handled: 'ignored' });
    expect(paymentReads()).toBe(before);

    f.faults.captureGate = null;
    release();
    await waitFor(() => f.received.find((e) => e.type === PaymentCompleted.type && e.payload.orderId === orderId));
    // The charge's transaction has committed once PaymentCompleted is delivered.
    const both = webhooksOf(orderId);
    expect(both).toHaveLength(2);
    const afterCharge = paymentReads();
    for (const webhook of both) expect((await post(webhook)).json()).toMatchObject({ handled: 'already' });
    expect(paymentReads()).toBe(afterCharge);
  });
});
