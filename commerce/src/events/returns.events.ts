import { z } from 'zod';
import { defineEvent } from '../shared/events/domain-event.ts';

const returnLine = z.object({ variantId: z.uuid(), quantity: z.number().int().positive() });
const base = { orderId: z.uuid(), orderNumber: z.string(), returnId: z.uuid() };

/** A customer asked to return delivered units; staff decide next. Notifications acknowledges it. */
export const ReturnRequested = defineEvent(
  'orders.return_requested.v1',
  z.object({ ...base, lines: z.array(returnLine).min(1), reason: z.string().max(500) }),
);

/** Staff accepted the return: the customer may send the parcel. */
export const ReturnApproved = defineEvent('orders.return_approved.v1', z.object({ ...base, note: z.string().max(500).nullable() }));

/** Staff refused the return. */
export const ReturnRefused = defineEvent('orders.return_refused.v1', z.object({ ...base, note: z.string().max(500).nullable() }));

/**
 * The parcel arrived: the units were restocked or written off, and `refundId` (when anything was left
 * to refund) names the `orders.order_refund_requested.v1` that payments pays out.
 */
export const ReturnReceived = defineEvent(
  'orders.return_received.v1',
  z.object({
    ...base,
    disposition: z.enum(['restock', 'write_off']),
    refundId: z.uuid().nullable(),
    refundMinor: z.number().int().nonnegative(),
    currency: z.string().length(3),
  }),
);
