import type { EventType } from '../contracts/index.ts';
import { isoTime } from './segment-message.schema.ts';

/*
 * The Segment message schemas (segment-message.schema.ts) written out as plain checks, for the
 * collector's hot path: zod copies every loose object it accepts and walks its checks generically,
 * which costs more than everything else the collector does per event. These checks answer only
 * "would zod accept this value as it is"; when they say no, the caller runs zod itself, so every
 * refusal keeps zod's exact message. They must never accept what zod refuses (a property test
 * holds them to that, and to accepting what zod accepts).
 */

// Zod's own ISO 8601 date-time pattern, so both sides agree on every string.
const ISO_TIME = isoTime._zod.pattern;

// Plain objects only (what JSON.parse makes): zod's records refuse class instances such as Dates.
const isRecord = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};
const optionalString = (value: unknown, max: number, min = 0) =>
  value === undefined || (typeof value === 'string' && value.length >= min && value.length <= max);
const isId = (value: unknown) => (typeof value === 'string' ? value.length >= 1 && value.length <= 512 : typeof value === 'number' && Number.isFinite(value));
const nullishId = (value: unknown) => value == null || isId(value);
const optionalTime = (value: unknown) => value === undefined || (typeof value === 'string' && ISO_TIME.test(value));
const optionalRecord = (value: unknown) => value === undefined || isRecord(value);
const nullishName = (value: unknown) => value == null || (typeof value === 'string' && value.length <= 200);

/** The fields every message type shares (`common` in the schema), without the "someone" rule. */
function commonFieldsPass(m: Record<string, unknown>): boolean {
  return (
    optionalString(m.messageId, 200, 1) &&
    nullishId(m.userId) &&
    nullishId(m.anonymousId) &&
    optionalTime(m.timestamp) &&
    optionalTime(m.originalTimestamp) &&
    optionalTime(m.sentAt) &&
    optionalRecord(m.context) &&
    optionalString(m.writeKey, 200)
  );
}

/**
 * Whether `messageSchemas[type]` accepts `raw` with no change to it, so `raw` can be used as the
 * parsed message. False means "ask zod", not "invalid".
 */
export function passesMessageSchema(type: EventType, raw: unknown): boolean {
  if (!isRecord(raw) || !commonFieldsPass(raw)) return false;
  if (raw.type !== undefined && raw.type !== type) return false;
  const someone = (raw.userId ?? raw.anonymousId) != null;
  switch (type) {
    case 'track':
      return typeof raw.event === 'string' && raw.event.length >= 1 && raw.event.length <= 200 && optionalRecord(raw.properties) && someone;
    case 'page':
    case 'screen':
      return nullishName(raw.name) && nullishName(raw.category) && optionalRecord(raw.properties) && someone;
    case 'identify':
      return optionalRecord(raw.traits) && someone;
    case 'group':
      return isId(raw.groupId) && optionalRecord(raw.traits) && someone;
    case 'alias':
      return isId(raw.userId) && isId(raw.previousId);
    default:
      return false;
  }
}

/** Whether `batchBody` accepts `body` unchanged (the `/v1/batch` route's own check). */
export function passesBatchBody(body: unknown): boolean {
  if (!isRecord(body) || !Array.isArray(body.batch) || body.batch.length === 0) return false;
  for (const event of body.batch) if (!isRecord(event) || !optionalString(event.type, 20)) return false;
  return optionalTime(body.sentAt) && optionalRecord(body.context) && optionalString(body.writeKey, 200);
}
