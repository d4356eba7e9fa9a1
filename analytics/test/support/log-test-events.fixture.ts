import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import type { AppendRecord } from '../../src/log/event-log.ts';

/** A minimal valid event; `messageId` carries the test's bookkeeping. */
export function testEvent(tenantId: string, messageId: string): AnalyticsEvent {
  return {
    tenantId,
    messageId,
    type: 'track',
    event: 'Order Completed',
    userId: `u-${messageId}`,
    timestamp: '2026-11-25T10:00:00.000Z',
    receivedAt: '2026-11-25T10:00:00.100Z',
    properties: { total: 4200, note: 'ünïcødé ✓' },
    context: { ip: '203.0.113.7' },
    isBot: false,
  };
}

export function testRecord(tenantId: string, messageId: string): AppendRecord {
  return { key: tenantId, value: testEvent(tenantId, messageId) };
}
