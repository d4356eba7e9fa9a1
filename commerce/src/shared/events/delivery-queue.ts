import type { ClaimedDelivery } from './delivery.repository.ts';

/** Adopted deliveries of one event and one priority: they wait for a slot together and start together. */
export interface QueuedUnit {
  deliveries: ClaimedDelivery[];
  leasedUntil: number;
  orderPath: boolean;
}

export interface DeliveryQueue {
  push(unit: QueuedUnit): void;
  /** The unit that may start now that `inFlight` handlers run, taken off the queue; order-path units first. */
  next(inFlight: number): QueuedUnit | undefined;
  /** Slots every delivery may take: the claim loop (retries, takeovers, deliveries of other instances) fills only these. */
  readonly sharedSlots: number;
  drain(): QueuedUnit[];
}

/**
 * Two queues over one set of `concurrency` slots. The last `orderPathSlots` of them only order-path units take, so a
 * delivery between checkout and paid finds a slot while e-mails, invoices and labels fill the rest; and a queued
 * order-path unit starts before any queued other, whatever their arrival order. With `orderPathSlots` 0 every unit
 * waits in one queue in arrival order.
 */
export function createDeliveryQueue(options: { concurrency: number; orderPathSlots: number }): DeliveryQueue {
  const reserved = Math.max(0, Math.min(options.orderPathSlots, options.concurrency - 1));
  const sharedSlots = options.concurrency - reserved;
  const orderPath: QueuedUnit[] = [];
  const rest: QueuedUnit[] = [];
  return {
    sharedSlots,
    push(unit) {
      (reserved > 0 && unit.orderPath ? orderPath : rest).push(unit);
    },
    next(inFlight) {
      if (orderPath.length > 0 && inFlight < options.concurrency) return orderPath.shift();
      if (rest.length > 0 && inFlight < sharedSlots) return rest.shift();
      return undefined;
    },
    drain: () => [...orderPath.splice(0), ...rest.splice(0)],
  };
}
