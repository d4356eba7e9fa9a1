import { createHash } from 'node:crypto';
import type { EventOf, HandlerContext } from '../../../shared/events/index.ts';
import { LIBRARY, toMajorUnits, type SegmentMessage } from '../domain/segment-message.ts';
import type { MessageSpool } from './ports/message-spool.port.ts';
import type { OrderFactsRepository } from './ports/order-facts.repository.ts';
import type { OrderCancelled, OrderCreated, OrderPaid } from '../../../events/orders.events.ts';

/** The storage the order handlers write through. */
export interface CompleteOrderPorts {
  orderFacts: OrderFactsRepository;
  spool: MessageSpool;
}

/** `OrderCreated` carries who ordered and the total, which `OrderPaid` lacks: keep them until payment. */
export async function rememberCreatedOrder(ports: CompleteOrderPorts, event: EventOf<typeof OrderCreated>, context: HandlerContext): Promise<void> {
  const { orderId, customer, currency, totalMinor } = event.payload;
  await context.once((tx) => ports.orderFacts.rememberOrder(tx, { orderId, userId: customer.userId, currency, totalMinor }));
}

export async function forgetCancelledOrder(ports: CompleteOrderPorts, event: EventOf<typeof OrderCancelled>, context: HandlerContext): Promise<void> {
  await context.once((tx) => ports.orderFacts.forgetOrder(tx, event.payload.orderId));
}

/**
 * `Order Completed` (Segment e-commerce spec) when an order is paid. Spooled in the handler's
 * own transaction, not through the in-memory buffer: revenue must survive a crash. The
 * messageId derives from the order, so any redelivery is deduplicated (here and at the collector).
 */
export async function completePaidOrder(ports: CompleteOrderPorts, event: EventOf<typeof OrderPaid>, context: HandlerContext): Promise<void> {
  const { orderId, orderNumber, lines, customerEmail } = event.payload;
  // The facts are read inside `once`: a redelivery after they were forgotten finds the work done, not missing facts.
  await context.once(async (tx) => {
    const facts = await ports.orderFacts.findOrder(tx, orderId);
    // Deliveries of different event types are not ordered: wait (the bus retries) for OrderCreated.
    if (!facts || facts.totalMinor === null || !facts.currency) throw new Error(`order ${orderId}: OrderCreated not handled yet`);
    const currency = facts.currency;
    const message: SegmentMessage = {
      messageId: `order-completed-${orderId}`,
      type: 'track',
      event: 'Order Completed',
      ...(facts.userId ? { userId: facts.userId } : {}),
      // A guest whose checkout answer was not seen still gets a stable id (never the email itself).
      anonymousId: facts.anonymousId ?? `email-${createHash('sha256').update(customerEmail.toLowerCase()).digest('hex').slice(0, 32)}`,
      properties: {
        order_id: orderId,
        order_number: orderNumber,
        revenue: toMajorUnits(facts.totalMinor, currency),
        total: toMajorUnits(facts.totalMinor, currency),
        currency,
        products: lines.map((l) => ({
          product_id: l.productId,
          variant: l.variantId,
          sku: l.sku,
          name: l.name,
          quantity: l.quantity,
          price: toMajorUnits(l.unitPriceMinor, currency),
        })),
      },
      context: { library: LIBRARY },
      timestamp: event.occurredAt,
    };
    await ports.spool.spoolMessages(tx, [message]);
    await ports.orderFacts.forgetOrder(tx, orderId);
  });
}
