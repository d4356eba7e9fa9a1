import type { AnalyticsEvent } from '../../src/contracts/event.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
// Events span few buckets on purpose: every unique cell is a 16 KiB HyperLogLog in either store.

/** A small seeded PRNG (mulberry32), so a failing run can be reproduced from its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

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
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const events: AnalyticsEvent[] = [];
  for (let i = 0; i < options.count; i++) {
    const previous = events.length > 0 ? events[Math.floor(next() * events.length)] : undefined;
    if (previous && next() < 0.03) {
      events.push(previous);
      continue;
    }
    const tenantId = pick(options.tenants);
    const receivedAt = options.now - Math.floor(next() * 120_000);
    const age = next();
    const timestamp =
      age < 0.02
        ? 'not a date'
        : new Date(receivedAt - (age < 0.06 ? 50 * HOUR + next() * HOUR : age < 0.14 ? 20 * HOUR + next() * 20 * MINUTE : next() * 45 * MINUTE)).toISOString();
    const roll = next();
    const type = roll < 0.55 ? 'page' : roll < 0.82 ? 'track' : roll < 0.92 ? 'identify' : 'screen';
    const person = options.person && tenantId === options.person.tenantId && next() < 1 / 12 ? options.person : undefined;
    const anonymous = next() < 0.3;
    const name = type === 'track' ? pick(['Order Completed', 'Order Completed', 'Signed Up', 'Product Added']) : type === 'screen' ? 'Home' : undefined;
    events.push({
      tenantId,
      messageId: `${options.seed}-${i}`,
      type,
      ...(name ? { event: name } : {}),
      ...(person ? (anonymous ? { anonymousId: person.anonymousId } : { userId: person.userId }) : anonymous ? { anonymousId: `anon-${Math.floor(next() * 100)}` } : { userId: `user-${Math.floor(next() * 200)}` }),
      timestamp,
      receivedAt: new Date(receivedAt).toISOString(),
      properties: {
        ...(name === 'Order Completed' ? { revenue: next() < 0.05 ? 'a lot' : (Math.floor(next() * 100_000) / 100).toFixed(2) } : {}),
        category: pick(['shoes', 'hats', 'bags', 'socks']),
      },
      context: {
        page: { path: `/p${Math.floor(next() * 30)}`, referrer: pick(['https://search.example/', 'https://social.example/', 'https://news.example/']) },
        sessionId: `s-${Math.floor(next() * 300)}`,
        ...(next() < 0.5 ? { campaign: { source: pick(['google', 'newsletter', 'ads']) } } : {}),
      },
      isBot: next() < 0.04,
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
