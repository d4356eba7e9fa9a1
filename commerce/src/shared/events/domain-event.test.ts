import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent } from './domain-event.ts';

const OrderCreated = defineEvent('orders.order_created.v1', z.object({ orderId: z.string(), totalMinor: z.int() }));
const PaymentCompleted = defineEvent('payments.payment_completed.v1', z.object({ orderId: z.string() }));

describe('defineEvent', () => {
  it('creates a validated event and parses it back after a JSON round trip', () => {
    const event = OrderCreated.create({ orderId: 'o1', totalMinor: 10 }, { occurredAt: new Date('2026-11-25T10:00:00Z') });
    expect(event).toMatchObject({ type: 'orders.order_created.v1', payload: { orderId: 'o1', totalMinor: 10 }, occurredAt: '2026-11-25T10:00:00.000Z' });
    expect(OrderCreated.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('carries correlation on and points causation at the causing event', () => {
    const order = OrderCreated.create({ orderId: 'o1', totalMinor: 10 }, { correlationId: 'checkout-7' });
    const paid = PaymentCompleted.create({ orderId: 'o1' }, { causedBy: order });
    expect([paid.correlationId, paid.causationId]).toEqual(['checkout-7', order.id]);
    const first = PaymentCompleted.create({ orderId: 'o1' }, { causedBy: PaymentCompleted.create({ orderId: 'o0' }) });
    expect(first.correlationId).toBe(first.causationId);
  });

  it('rejects bad payloads, another type, and unversioned type names', () => {
    expect(() => OrderCreated.create({ orderId: 'o1', totalMinor: 1.5 })).toThrow();
    const paid = PaymentCompleted.create({ orderId: 'o1' });
    expect(() => OrderCreated.parse({ ...paid, payload: { orderId: 'o1', totalMinor: 1 } })).toThrow();
    expect(() => defineEvent('orders.order_created', z.object({}))).toThrow(/v1/);
  });
});
