/** The times the collector keeps for one event, all ISO 8601 UTC. */
export interface EventTimes {
  timestamp: string;
  receivedAt: string;
  originalTimestamp?: string;
  sentAt?: string;
}

const parse = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
};

// Every event of a request shares its receivedAt and usually its batch's sentAt: the last answer
// for each is kept, so a batch of 100 formats and parses them once instead of 100 times.
let lastReceived: { date: Date; ms: number; iso: string } | undefined;
let lastSent: { text: string; ms: number | undefined; iso: string | undefined } | undefined;
// Server-side libraries stamp a batch's events alike; analytics.js's differ, and cost one parse each as before.
let lastOriginal: { text: string; ms: number | undefined; iso: string | undefined } | undefined;

const receivedTimes = (receivedAt: Date) => {
  const ms = receivedAt.getTime();
  if (lastReceived?.date !== receivedAt || lastReceived.ms !== ms) lastReceived = { date: receivedAt, ms, iso: receivedAt.toISOString() };
  return lastReceived;
};

const parsedTime = (text: string) => {
  const ms = parse(text);
  return { text, ms, iso: ms === undefined ? undefined : new Date(ms).toISOString() };
};

const sentTimes = (text: string) => {
  if (lastSent?.text !== text) lastSent = parsedTime(text);
  return lastSent;
};

const originalTimes = (text: string) => {
  if (lastOriginal?.text !== text) lastOriginal = parsedTime(text);
  return lastOriginal;
};

/**
 * Fixes an event's time once, at ingestion, against the collector's clock rather than the
 * device's: a phone set an hour fast sends `originalTimestamp` and `sentAt` both an hour
 * ahead, and their difference (how long the event waited on the device) is still right.
 * So `timestamp = receivedAt - (sentAt - originalTimestamp)` when both are known, else the
 * client's time; never later than `receivedAt`. The client's values are kept for audits.
 */
export function correctEventTime(input: { originalTimestamp?: string; sentAt?: string }, receivedAt: Date): EventTimes {
  const { ms: received, iso: receivedIso } = receivedTimes(receivedAt);
  const originalAt = input.originalTimestamp === undefined ? undefined : originalTimes(input.originalTimestamp);
  const original = originalAt?.ms;
  const sentAt = input.sentAt === undefined ? undefined : sentTimes(input.sentAt);
  const sent = sentAt?.ms;
  let corrected = received;
  if (original !== undefined && sent !== undefined) corrected = received - (sent - original);
  else if (original !== undefined) corrected = original;
  // Beyond Date's range (a sentAt thousands of years off) there is no date: eventTimeProblem names it.
  const at = Math.min(corrected, received);
  const originalIso = originalAt?.iso;
  const timestamp = at === received ? receivedIso : at === original ? originalIso! : Number.isNaN(new Date(at).getTime()) ? 'Invalid Date' : new Date(at).toISOString();
  const times: EventTimes = { timestamp, receivedAt: receivedIso };
  if (originalIso !== undefined) times.originalTimestamp = originalIso;
  if (sentAt?.iso !== undefined) times.sentAt = sentAt.iso;
  return times;
}
