/**
 * The canonical analytics event: what the collector writes to the log after validation,
 * deduplication keys and time correction, and what the speed layer, the archiver and the
 * batch job all read. One definition for every layer (ADR-002: share logic as libraries).
 */
import type { EventDimensions } from './dimensions.ts';

export type EventType = 'track' | 'page' | 'screen' | 'identify' | 'group' | 'alias';

export interface AnalyticsEvent {
  tenantId: string;
  /** Client-supplied (or collector-generated) id; the dedup key within a tenant. */
  messageId: string;
  type: EventType;
  /** Track events: the event name, e.g. `Order Completed`. Page/screen: the page name if any. */
  event?: string;
  userId?: string;
  anonymousId?: string;
  /** Corrected event time, ISO 8601 UTC: receivedAt - (sentAt - originalTimestamp), capped at receivedAt. */
  timestamp: string;
  /** When the collector accepted the event, ISO 8601 UTC. */
  receivedAt: string;
  /** What the client claimed, kept for audits. */
  originalTimestamp?: string;
  sentAt?: string;
  properties: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context: Record<string, unknown>;
  /** group events */
  groupId?: string;
  /** alias events */
  previousId?: string;
  /** Flagged from the user agent; counted apart, never silently dropped. */
  isBot: boolean;
  /**
   * Filled by the collector before the log (user agent, IP, campaign, referrer); see
   * `EVENT_DIMENSIONS`. Absent on events written before enrichment existed. The client IP that
   * country and region come from is never stored: `context.ip` is removed at ingest.
   */
  dimensions?: EventDimensions;
}
