import type { AnalyticsEvent } from '../../src/contracts/event.ts';

let sequence = 0;

/** A page view by `userId` at `at`; override anything with `extra`. */
export function pageView(tenantId: string, at: string, extra: Partial<AnalyticsEvent> = {}): AnalyticsEvent {
  sequence++;
  return {
    tenantId,
    messageId: `m-${sequence}`,
    type: 'page',
    userId: `user-${sequence % 7}`,
    timestamp: at,
    receivedAt: at,
    properties: {},
    context: { page: { path: `/p${sequence % 3}`, referrer: 'https://search.example/' }, sessionId: `s-${sequence % 5}` },
    isBot: false,
    ...extra,
  };
}

export function orderCompleted(tenantId: string, at: string, revenue: number | string): AnalyticsEvent {
  return pageView(tenantId, at, { type: 'track', event: 'Order Completed', properties: { revenue, category: 'shoes' } });
}
