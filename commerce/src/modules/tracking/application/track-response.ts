import { randomUUID } from 'node:crypto';
import type { TrackedEvent } from '../domain/tracked-routes.ts';
import { LIBRARY, type SegmentMessage } from '../domain/segment-message.ts';

export interface Visitor {
  userId?: string;
  anonymousId: string;
  ip?: string;
  userAgent?: string;
}

/** A Segment message for one tracked event; the time is when the answer went out. */
export function toSegmentMessage(event: TrackedEvent, visitor: Visitor, at: Date): SegmentMessage {
  const context: Record<string, unknown> = { library: LIBRARY };
  if (visitor.ip) context.ip = visitor.ip;
  if (visitor.userAgent) context.userAgent = visitor.userAgent.slice(0, 500);
  if (event.pagePath) context.page = { path: event.pagePath };
  return {
    messageId: randomUUID(),
    type: event.type,
    ...(event.event ? { event: event.event } : {}),
    ...(event.name ? { name: event.name } : {}),
    ...(visitor.userId ? { userId: visitor.userId } : {}),
    anonymousId: visitor.anonymousId,
    properties: event.properties,
    context,
    timestamp: at.toISOString(),
  };
}
