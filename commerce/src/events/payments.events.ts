import { z } from 'zod';
import { defineEvent } from '../shared/events/domain-event.ts';

const money = z.number().int().nonnegative();

/** The charge for an order was captured. Exactly one per order. */
export const PaymentCompleted = defineEvent(
  'payments.payment_completed.v1',
  z.object({ orderId: z.uuid(), paymentId: z.uuid(), amountMinor: money, currency: z.string().length(3) }),
);

/** The charge failed for good (declined, insufficient funds, or retries exhausted on timeouts). */
export const PaymentFailed = defineEvent(
  'payments.payment_failed.v1',
  z.object({
    orderId: z.uuid(),
    paymentId: z.uuid(),
    code: z.string(),
    reason: z.string(),
  }),
);

/**
 * Money went back to the customer: after a cancellation, or for an admin's refund request
 * (`refundRequestId`, the `refundId` of `orders.order_refund_requested.v1`).
 */
export const PaymentRefunded = defineEvent(
  'payments.payment_refunded.v1',
  z.object({
    orderId: z.uuid(),
    paymentId: z.uuid(),
    amountMinor: money,
    currency: z.string().length(3),
    refundRequestId: z.uuid().optional(),
  }),
);
