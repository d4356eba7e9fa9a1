import type { EventTimes } from './event-time.ts';

/** How old an event may be when it arrives, unless the tenant says otherwise: room for historical imports. */
export const DEFAULT_MAX_EVENT_AGE_DAYS = 730;

const DAY_MS = 86_400_000;

let lastReceived: { text: string; ms: number } | undefined;

/** The client's times, as a refusal names them. */
const given = (times: EventTimes) => [times.originalTimestamp && `timestamp ${times.originalTimestamp}`, times.sentAt && `sentAt ${times.sentAt}`].filter(Boolean).join(' and ');

/**
 * Why an event's corrected time cannot be kept, or undefined when it can. The batch computes
 * every day that holds data, so an event dated in 1970 (or a `sentAt` centuries ahead, which the
 * skew correction turns into a date centuries back) would cost a tenant's run one more day each:
 * the oldest acceptable time is `receivedAt - maxAgeDays`. The newest is `receivedAt` itself,
 * which correctEventTime already guarantees.
 */
export function eventTimeProblem(times: EventTimes, maxAgeDays: number): { code: 'INVALID_EVENT' | 'EVENT_TOO_OLD'; reason: string } | undefined {
  // Every event of a request shares its receivedAt, and many are stamped with it: parsed once.
  if (lastReceived?.text !== times.receivedAt) lastReceived = { text: times.receivedAt, ms: Date.parse(times.receivedAt) };
  const received = lastReceived.ms;
  const timestamp = times.timestamp === times.receivedAt ? received : Date.parse(times.timestamp);
  if (!Number.isFinite(timestamp)) {
    return { code: 'INVALID_EVENT', reason: `${given(times) || 'its times'} do not give a valid date` };
  }
  const oldest = received - maxAgeDays * DAY_MS;
  if (timestamp < oldest) {
    const corrected = times.sentAt ? ` (corrected for the device clock by sentAt, from ${given(times)})` : '';
    return {
      code: 'EVENT_TOO_OLD',
      reason: `its time ${times.timestamp}${corrected} is more than ${maxAgeDays} days before it arrived; the oldest accepted is ${new Date(oldest).toISOString()}`,
    };
  }
  return undefined;
}
