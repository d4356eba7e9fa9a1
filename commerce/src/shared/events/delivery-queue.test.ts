import { describe, expect, it } from 'vitest';
import { createDeliveryQueue, type QueuedUnit } from './delivery-queue.ts';

const unit = (orderPath: boolean): QueuedUnit => ({ deliveries: [], leasedUntil: Number.MAX_SAFE_INTEGER, orderPath });

describe('delivery queue', () => {
  it('starts queued order-path units first and keeps the last slots for them', () => {
    const queue = createDeliveryQueue({ concurrency: 3, orderPathSlots: 1 });
    const mail = unit(false);
    const paid = unit(true);
    queue.push(mail);
    queue.push(paid);
    expect(queue.next(0)).toBe(paid);
    // Two of three slots busy: the last is the order path's, so the mail waits.
    expect(queue.next(2)).toBeUndefined();
    expect(queue.next(1)).toBe(mail);
  });

  it('is one queue in arrival order without order-path slots, and never keeps every slot', () => {
    const plain = createDeliveryQueue({ concurrency: 2, orderPathSlots: 0 });
    const mail = unit(false);
    const paid = unit(true);
    plain.push(mail);
    plain.push(paid);
    expect([plain.next(0), plain.next(0)]).toEqual([mail, paid]);
    expect(createDeliveryQueue({ concurrency: 1, orderPathSlots: 4 }).sharedSlots).toBe(1);
  });
});
