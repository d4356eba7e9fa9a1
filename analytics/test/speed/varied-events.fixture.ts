import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { seededRandom } from '../../src/demo/seeded-random.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Events span few buckets on purpose: every unique cell is a 16 KiB HyperLogLog in either store.

export interface VariedEventsOptions {
  /** The collector's clock: every event is received in the two minutes before this. */
  now: number;
  count: number;
  tenants: readonly string[];
  seed: number;
  /** A person (userId) who appears in about one in twelve events of `person.tenantId`. */
  person?: { tenantId: string; userId: string; anonymousId: string };
}

/**
 * Events shaped like real traffic, for tests that compare whole stores: page / track / identify /
 * screen, bots, revenue (some of it unusable), breakdown dimensions, users and anonymous visitors,
 * sessions, events from the last minutes, from a day ago and from past the minute retention (late),
 * unreadable timestamps, and exact duplicates (at-least-once delivery).
 */
export function variedEvents(options: VariedEventsOptions): AnalyticsEvent[] {
  const random = seededRandom(options.seed);
  const events: AnalyticsEvent[] = [];
  for (let i = 0; i < options.count; i++) {
    const previous = events.length > 0 ? random.pick(events) : undefined;
    if (previous && random() < 0.03) {
      events.push(previous);
      continue;
    }
    const tenantId = random.pick(options.tenants);
    const receivedAt = options.now - random.below(120_000);
    const age = random();
    const timestamp =
      age < 0.02
        ? 'not a date'
        : new Date(receivedAt - (age < 0.06 ? 50 * HOUR + random() * HOUR : age < 0.14 ? 20 * HOUR + random() * 20 * MINUTE : random() * 45 * MINUTE)).toISOString();
    const roll = random();
    const type = roll < 0.55 ? 'page' : roll < 0.82 ? 'track' : roll < 0.92 ? 'identify' : 'screen';
    const person = options.person && tenantId === options.person.tenantId && random() < 1 / 12 ? options.person : undefined;
    const anonymous = random() < 0.3;
    const name = type === 'track' ? random.pick(['Order Completed', 'Order Completed', 'Signed Up', 'Product Added']) : type === 'screen' ? 'Home' : undefined;
    events.push({
      tenantId,
      messageId: `${options.seed}-${i}`,
      type,
      ...(name ? { event: name } : {}),
      ...(person ? (anonymous ? { anonymousId: person.anonymousId } : { userId: person.userId }) : anonymous ? { anonymousId: `anon-${random.below(100)}` } : { userId: `user-${random.below(200)}` }),
      timestamp,
      receivedAt: new Date(receivedAt).toISOString(),
      properties: {
        ...(name === 'Order Completed' ? { revenue: random() < 0.05 ? 'a lot' : (random.below(100_000) / 100).toFixed(2) } : {}),
        category: random.pick(['shoes', 'hats', 'bags', 'socks']),
      },
      context: {
        page: { path: `/p${random.below(30)}`, referrer: random.pick(['https://search.example/', 'https://social.example/', 'https://news.example/']) },
        sessionId: `s-${random.below(300)}`,
        ...(random() < 0.5 ? { campaign: { source: random.pick(['google', 'newsletter', 'ads']) } } : {}),
      },
      isBot: random() < 0.04,
    });
  }
  return events;
}

/** More distinct page paths in one minute than a top-K cell keeps: arrival order decides which stay. */
export function topKBurst(tenantId: string, at: number, count: number): AnalyticsEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    tenantId,
    messageId: `burst-${tenantId}-${i}`,
    type: 'page',
    userId: `burst-user-${i % 50}`,
    timestamp: new Date(at).toISOString(),
    receivedAt: new Date(at + 1000).toISOString(),
    properties: {},
    context: { page: { path: `/burst/${i}` }, sessionId: `burst-${i % 20}` },
    isBot: false,
  }));
}
