import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AnalyticsEvent, EventType } from '../contracts/index.ts';
import { isBotUserAgent } from './bot-user-agents.ts';
import { cookielessVisitorId } from './cookieless/visitor-id.ts';
import type { Enricher } from './enrichment/enrich-event.ts';
import type { Rejection } from './collector.errors.ts';
import { correctEventTime } from './event-time.ts';
import { eventTimeProblem } from './event-time-bounds.ts';
import { nestsDeeperThan } from './json-depth.ts';
import { passesMessageSchema } from './segment-message.check.ts';
import { messageSchemas, EVENT_TYPES, type SegmentMessage } from './segment-message.schema.ts';

/** What the request adds to every event in it. */
export interface RequestContext {
  tenantId: string;
  receivedAt: Date;
  /** The batch's `sentAt`, used when an event has none of its own. */
  sentAt?: string;
  /** The batch's `context`, under each event's own. */
  context?: Record<string, unknown>;
  /** The request's User-Agent, when the event does not carry `context.userAgent`. */
  userAgent?: string;
  maxEventBytes: number;
  /** At least the JSON size in bytes of any message of the request, when its body's text says (`messageBytesBound`). */
  messageBytesAtMost?: number;
  /** The tenant's oldest acceptable event, in days before receipt. */
  maxEventAgeDays: number;
  /** The visitor's address (socket peer, or from a trusted proxy's header): enrichment input only, never stored. */
  clientIp?: string;
  /** Fills `dimensions`; without it events carry none. */
  enrich?: Enricher;
  /** Today's salt when cookieless visitor ids are on. */
  visitorSalt?: Buffer;
}

const describeIssues = (issues: z.core.$ZodIssue[]) =>
  issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(event)'}: ${issue.message}`)
    .join('; ');

// Real events nest a few levels; 32 leaves room while keeping every consumer's recursion safe.
const MAX_DEPTH = 32;

// The batch context is one object for every event of a request: its depth is checked once.
const checkedContexts = new WeakMap<object, boolean>();
const contextTooDeep = (context: Record<string, unknown> | undefined) => {
  if (context === undefined) return false;
  let deep = checkedContexts.get(context);
  if (deep === undefined) checkedContexts.set(context, (deep = nestsDeeperThan(context, MAX_DEPTH - 2)));
  return deep;
};

/**
 * One Segment message to the canonical event, or the reason it cannot be one.
 * `type` is the route's type for `/v1/track` and friends, the message's own in a batch.
 */
export function toAnalyticsEvent(
  raw: unknown,
  routeType: EventType | undefined,
  index: number,
  request: RequestContext,
): { ok: true; event: AnalyticsEvent } | { ok: false; rejection: Rejection } {
  const rawObject = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};

  if (nestsDeeperThan(raw, MAX_DEPTH)) return refusal(rawObject, index, 'INVALID_EVENT', `event ${index} nests deeper than ${MAX_DEPTH} levels`);
  // The batch context is merged into every event, so it counts as part of each.
  if (contextTooDeep(request.context)) return refusal(rawObject, index, 'INVALID_EVENT', `the batch context nests deeper than ${MAX_DEPTH - 2} levels`);
  // A body no larger than the limit holds no message over it; otherwise each message is measured.
  if (request.messageBytesAtMost === undefined || request.messageBytesAtMost > request.maxEventBytes) {
    const json = JSON.stringify(raw) ?? '';
    // A UTF-16 unit is at most 3 bytes of UTF-8: only a text that could be over the limit is counted.
    const bytes = json.length * 3 <= request.maxEventBytes ? 0 : Buffer.byteLength(json);
    if (bytes > request.maxEventBytes) {
      return refusal(rawObject, index, 'EVENT_TOO_LARGE', `event ${index} is ${bytes} bytes; the limit is ${request.maxEventBytes} bytes per event`);
    }
  }
  const type = routeType ?? (rawObject.type as EventType);
  if (!EVENT_TYPES.includes(type)) {
    return refusal(rawObject, index, 'INVALID_EVENT', `event ${index}: type must be one of ${EVENT_TYPES.join(', ')}`);
  }
  const message = withCookielessId(rawObject, request) ?? raw;
  let m: SegmentMessage;
  // The plain checks accept what the schema accepts, unchanged; zod runs only to word a refusal.
  if (passesMessageSchema(type, message)) m = message as SegmentMessage;
  else {
    const parsed = messageSchemas[type].safeParse(message);
    if (!parsed.success) return refusal(rawObject, index, 'INVALID_EVENT', `event ${index} (${type}): ${describeIssues(parsed.error.issues)}`);
    m = parsed.data as SegmentMessage;
  }

  // The event keeps its own context object: the raw one is left as sent (a failed request converts it again).
  const context: Record<string, unknown> = request.context === undefined && m.context !== undefined && !('ip' in m.context) ? m.context : { ...request.context, ...m.context };
  const userAgent = typeof context.userAgent === 'string' ? context.userAgent : request.userAgent;
  // A server-side sender forwards its visitor's address as context.ip (Segment's field); it locates
  // the event and is then dropped, so no stored or logged event holds an IP address.
  const ip = typeof context.ip === 'string' && context.ip !== '' ? context.ip : request.clientIp;
  if ('ip' in context) delete context.ip;
  const times = correctEventTime({ originalTimestamp: m.originalTimestamp ?? m.timestamp, sentAt: m.sentAt ?? request.sentAt }, request.receivedAt);
  const timeProblem = eventTimeProblem(times, request.maxEventAgeDays);
  if (timeProblem) return refusal(rawObject, index, timeProblem.code, `event ${index} (${type}): ${timeProblem.reason}`);
  const name = type === 'track' ? m.event : type === 'page' || type === 'screen' ? (m.name ?? undefined) : undefined;
  let properties = m.properties ?? {};
  if ((type === 'page' || type === 'screen') && m.category != null && properties.category == null) properties = { ...properties, category: m.category };

  // Fields assigned one by one, in the stored order, rather than spread from temporary objects.
  const event = {
    tenantId: request.tenantId,
    // Without a client id a retry cannot be recognised; the generated one says so by its prefix.
    messageId: m.messageId ?? `srv-${randomUUID()}`,
    type,
  } as AnalyticsEvent;
  if (name !== undefined) event.event = name;
  if (m.userId != null) event.userId = String(m.userId);
  if (m.anonymousId != null) event.anonymousId = String(m.anonymousId);
  event.timestamp = times.timestamp;
  event.receivedAt = times.receivedAt;
  if (times.originalTimestamp !== undefined) event.originalTimestamp = times.originalTimestamp;
  if (times.sentAt !== undefined) event.sentAt = times.sentAt;
  event.properties = properties;
  if (m.traits !== undefined) event.traits = m.traits;
  event.context = context;
  if (m.groupId !== undefined) event.groupId = String(m.groupId);
  if (m.previousId !== undefined) event.previousId = String(m.previousId);
  event.isBot = isBotUserAgent(userAgent);
  if (request.enrich) event.dimensions = request.enrich({ type, context, properties, userAgent, ip });
  return { ok: true, event };
}

/** A refusal, naming the messageId the sender gave (when it gave one) so it can match the answer. */
function refusal(raw: Record<string, unknown>, index: number, code: Rejection['code'], reason: string) {
  const claimedId = typeof raw.messageId === 'string' ? raw.messageId.slice(0, 200) : undefined;
  return { ok: false, rejection: { index, ...(claimedId ? { messageId: claimedId } : {}), code, reason } } as const;
}

/**
 * A message from the tracking script's cookieless mode (`context.cookieless: true`, no ids) gets
 * the day's visitor id as its anonymousId; any other message is left to the schema.
 */
function withCookielessId(raw: Record<string, unknown>, request: RequestContext): Record<string, unknown> | undefined {
  if (!request.visitorSalt || raw.userId != null || raw.anonymousId != null) return undefined;
  const own = raw.context !== null && typeof raw.context === 'object' ? (raw.context as Record<string, unknown>) : {};
  if ((own.cookieless ?? request.context?.cookieless) !== true) return undefined;
  const ip = typeof own.ip === 'string' && own.ip ? own.ip : request.clientIp;
  const userAgent = typeof own.userAgent === 'string' ? own.userAgent : request.userAgent;
  if (!ip || !userAgent) return undefined;
  return { ...raw, anonymousId: cookielessVisitorId(request.visitorSalt, request.tenantId, ip, userAgent) };
}
