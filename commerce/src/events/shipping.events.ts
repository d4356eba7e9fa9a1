import { z } from 'zod';
import { defineEvent } from '../shared/events/domain-event.ts';

/** A label was bought for a paid order: the order is fulfilled. */
export const LabelPurchased = defineEvent(
  'shipping.label_purchased.v1',
  z.object({
    orderId: z.uuid(),
    shipmentId: z.uuid(),
    carrier: z.string(),
    trackingNumber: z.string(),
    labelUrl: z.string(),
  }),
);

/** The carrier reported progress through its tracking webhook. */
export const ShipmentStatusChanged = defineEvent(
  'shipping.shipment_status_changed.v1',
  z.object({
    orderId: z.uuid(),
    shipmentId: z.uuid(),
    trackingNumber: z.string(),
    status: z.enum(['in_transit', 'delivered']),
    at: z.iso.datetime({ offset: true }),
  }),
);
