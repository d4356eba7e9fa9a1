import { expect } from 'vitest';
import { seededRandom } from '../../src/demo/seeded-random.ts';
import { until } from '../speed/until.ts';
import { basic, type TestApp } from '../collector/support/test-app.ts';

/** User agents the collector reads as these browsers and devices. */
export const AGENTS = [
  { browser: 'Chrome', device: 'desktop', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
  { browser: 'Chrome', device: 'mobile', ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36' },
  { browser: 'Firefox', device: 'desktop', ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' },
];
/** Addresses the collector places in these countries. */
export const ADDRESSES = [
  { country: 'GB', ip: '81.2.69.142' },
  { country: 'FR', ip: '212.27.48.10' },
];

/** Sends `messages` through the collector with `writeKey` and waits until the archiver has written every one to the raw store. */
export async function collectIntoRawStore(t: TestApp, tenant: string, writeKey: string, messages: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < messages.length; i += 300) {
    const res = await t.app.server.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic(writeKey) }, payload: { batch: messages.slice(i, i + 300) } });
    expect(res.json()).toMatchObject({ accepted: Math.min(300, messages.length - i), rejected: [] });
  }
  await until('the archiver to write every event', async () => {
    let lines = 0;
    for (const key of await t.app.objectStore.list(`raw/tenant=${tenant}/`)) lines += new TextDecoder().decode((await t.app.objectStore.get(key))!).trim().split('\n').length;
    return lines >= messages.length;
  }, 30_000);
}

const MINUTE = 60_000;
const VISIT_TIMEOUT = 30 * MINUTE;
export const PAGES = ['/', '/pricing', '/plans', '/docs', '/signup'];
const SOURCES = ['newsletter', 'google'];
const PLANS = ['pro', 'free'];
const REVENUES: Array<string | number> = ['12.50', 7, '3.1'];
/** Each revenue the made-up sign ups carry, in cents. */
export const CENTS = new Map<string | number, number>([
  ['12.50', 1250],
  [7, 700],
  ['3.1', 310],
]);

export interface TrueEvent {
  messageId: string;
  time: number;
  /** anonymousId: visits and funnels count visitors by it. */
  visitor: string;
  /** userId, else anonymousId: unique users and goal visitors count people by it. */
  person: string;
  isPage: boolean;
  path: string;
  source: string;
  plan?: string;
  revenue?: string | number;
}

export interface TrueVisit {
  start: number;
  country: string;
  browser: string;
  device: string;
  events: TrueEvent[];
}

export interface MadeUpVisitsOptions {
  /** Visitors coming on each day. */
  perDay?: number;
  /** Without it, the n-th visitor of every day is the same one (`visitor-n`); with it, each is drawn from this many. */
  pool?: number;
  /** Events at or after this instant are not made (no event from the future). */
  before?: number;
  /** The messageIds' prefix. */
  prefix?: string;
  /** Each visitor's first visit starts this long after its day's start at most (default 8 hours). */
  startWithinMs?: number;
}

/**
 * Made-up visits, written down as they are made, and the messages that send them through the
 * collector. From each of `dayStarts`, visitors with one browser, device and country each come one
 * to three times; a visit is one to five events with gaps under the visit timeout, the next visit
 * after a gap over it. Each event has its own page and campaign source; a track event is a sign up
 * (pro or free, most with a revenue), a quarter of them by a signed-in person (userId), so people
 * and visitors differ.
 */
export function madeUpVisits(seed: number, dayStarts: readonly number[], options: MadeUpVisitsOptions = {}) {
  const { perDay = 72, pool, before = Number.POSITIVE_INFINITY, prefix = 'rg', startWithinMs = 8 * 60 * MINUTE } = options;
  const r = seededRandom(seed);
  const visits: TrueVisit[] = [];
  const messages: Record<string, unknown>[] = [];
  for (const dayStart of dayStarts) {
    for (let n = 0; n < perDay; n++) {
      const v = pool === undefined ? n : r.below(pool);
      const agent = AGENTS[v % AGENTS.length]!;
      const address = ADDRESSES[Math.floor(v / AGENTS.length) % ADDRESSES.length]!;
      let time = dayStart + r.below(Math.max(1, Math.floor(startWithinMs / MINUTE))) * MINUTE + r.below(MINUTE);
      for (let k = 1 + r.below(3); k > 0; k--) {
        const visit: TrueVisit = { start: time, country: address.country, browser: agent.browser, device: agent.device, events: [] };
        for (let e = 1 + r.below(5); e > 0; e--) {
          if (visit.events.length > 0) time += 1_000 + r.below(VISIT_TIMEOUT - 1_000);
          const isPage = r() < 0.7;
          const signedIn = !isPage && v % 4 === 0;
          const event: TrueEvent = { messageId: `${prefix}-${seed}-${messages.length}`, time, visitor: `visitor-${v}`, person: signedIn ? `user-${v % 12}` : `visitor-${v}`, isPage, path: r.pick(PAGES), source: r.pick(SOURCES) };
          if (!isPage) {
            event.plan = r.pick(PLANS);
            if (r() < 0.8) event.revenue = r.pick(REVENUES);
          }
          if (time >= before) continue;
          visit.events.push(event);
          messages.push({
            type: isPage ? 'page' : 'track',
            ...(isPage ? {} : { event: 'Signed Up', properties: { plan: event.plan, ...(event.revenue === undefined ? {} : { revenue: event.revenue }) } }),
            messageId: event.messageId,
            anonymousId: event.visitor,
            ...(signedIn ? { userId: event.person } : {}),
            timestamp: new Date(time).toISOString(),
            context: { ip: address.ip, userAgent: agent.ua, page: { path: event.path }, campaign: { source: event.source } },
          });
        }
        if (visit.events.length > 0) visits.push(visit);
        time += VISIT_TIMEOUT + 1 + r.below(90 * MINUTE);
      }
    }
  }
  return { visits, messages };
}
