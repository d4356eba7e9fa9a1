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

/**
 * Fixes an event's time once, at ingestion, against the collector's clock rather than the
 * device's: a phone set an hour fast sends `originalTimestamp` and `sentAt` both an hour
 * ahead, and their difference (how long the event waited on the device) is still right.
 * So `timestamp = receivedAt - (sentAt - originalTimestamp)` when both are known, else the
 * client's time; never later than `receivedAt`. The client's values are kept for audits.
 */
export function correctEventTime(input: { originalTimestamp?: string; sentAt?: string }, receivedAt: Date): EventTimes {
  const received = receivedAt.getTime();
  const original = parse(input.originalTimestamp);
  const sent = parse(input.sentAt);
  let corrected = received;
  if (original !== undefined && sent !== undefined) corrected = received - (sent - original);
  else if (original !== undefined) corrected = original;
  // Beyond Date's range (a sentAt thousands of years off) there is no date: eventTimeProblem names it.
  const timestamp = new Date(Math.min(corrected, received));
  const times: EventTimes = {
    timestamp: Number.isNaN(timestamp.getTime()) ? 'Invalid Date' : timestamp.toISOString(),
    receivedAt: receivedAt.toISOString(),
  };
  if (original !== undefined) times.originalTimestamp = new Date(original).toISOString();
  if (sent !== undefined) times.sentAt = new Date(sent).toISOString();
  return times;
}
