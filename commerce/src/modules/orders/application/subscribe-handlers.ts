import type { EventBus } from '../../../shared/events/index.ts';
import { PaymentCompleted, PaymentFailed, PaymentRefunded } from '../../../events/payments.events.ts';
import { LabelPurchased, ShipmentStatusChanged } from '../../../events/shipping.events.ts';
import type { OrdersContext } from './orders.context.ts';
import { recordPayment } from './record-payment.ts';
import { recordPaymentFailure } from './record-payment-failure.ts';
import { recordRefund } from './record-refund.ts';
import { recordShipping } from './record-shipping.ts';

export const ORDERS_SUBSCRIBER = 'orders';

/**
 * The order's reactions to payments and shipping. Each runs in `ctx.once`: the state change,
 * stock movement, follow-up events and the inbox mark commit together, so a redelivered event
 * has exactly one effect.
 */
export function subscribeHandlers(bus: Pick<EventBus, 'subscribe'>, ctx: OrdersContext): void {
  // Inline: the step to paid commits with the capture that published it (the order row and OrderPaid, no hop).
  bus.subscribe(ORDERS_SUBSCRIBER, PaymentCompleted, (event, h) => h.once((tx) => recordPayment(ctx, tx, event)).then(() => undefined), {
    priority: 'order-path',
    inline: true,
  });
  bus.subscribe(ORDERS_SUBSCRIBER, PaymentFailed, (event, h) => h.once((tx) => recordPaymentFailure(ctx, tx, event)).then(() => undefined));
  bus.subscribe(ORDERS_SUBSCRIBER, PaymentRefunded, (event, h) => h.once((tx) => recordRefund(ctx, tx, event)).then(() => undefined));
  // Inline: fulfilled (and the stock shipped) commits with the shipment that published the label.
  bus.subscribe(
    ORDERS_SUBSCRIBER,
    LabelPurchased,
    (event, h) =>
      h.once((tx) => recordShipping(ctx, tx, event, 'fulfilled', `label ${event.payload.carrier} ${event.payload.trackingNumber}`)).then(() => undefined),
    { inline: true },
  );
  bus.subscribe(ORDERS_SUBSCRIBER, ShipmentStatusChanged, (event, h) =>
    h
      .once((tx) =>
        recordShipping(ctx, tx, event, event.payload.status === 'delivered' ? 'delivered' : 'shipped', `carrier: ${event.payload.status}`),
      )
      .then(() => undefined),
  );
}
