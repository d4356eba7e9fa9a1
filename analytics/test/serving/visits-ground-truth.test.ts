import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { seededRandom } from '../../src/demo/seeded-random.ts';
import type { AggregateStore, BreakdownDimension } from '../../src/contracts/index.ts';
import { batchViewsFromCoverage, createServingLayer, type BatchViews, type MetricQuery } from '../../src/serving/index.ts';
import { PartitionBuffer } from '../../src/speed/index.ts';
import { VisitBook } from '../../src/speed/visit-book.ts';
import { groundTruthSetting } from './serving.fixture.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
const DAYS = 4;
/** gt-visits-a keeps the default 30 minutes; gt-visits-b has set 10. */
const TIMEOUTS: Record<string, number> = { 'gt-visits-a': 30 * MINUTE, 'gt-visits-b': 10 * MINUTE };
const TENANTS = Object.keys(TIMEOUTS);
const PAGES = ['/', '/pricing', '/docs', '/blog/launch', '/signup'];

interface TrueVisit {
  start: number;
  events: number;
  durationMs: number;
  pageviews: number;
  entry: string;
  exit: string;
}

/**
 * Visits made up one by one and written down as they are made: each visitor comes back one to
 * three times a day, each visit is one to six page or track events with gaps under the tenant's
 * timeout, and the next visit starts after a gap over it. Every visit ends before midnight UTC.
 * Noise that must not make or extend a visit rides along: bots, identify calls. The expected
 * figures come from this list, never from the code under test.
 */
function traffic(tenantId: string, seed: number) {
  const timeout = TIMEOUTS[tenantId]!;
  const r = seededRandom(seed);
  const events: AnalyticsEvent[] = [];
  const visits: TrueVisit[] = [];
  const event = (type: 'page' | 'track' | 'identify', time: number, visitor: string, path: string, isBot = false): AnalyticsEvent => {
    const iso = new Date(time).toISOString();
    return {
      tenantId,
      messageId: `${tenantId}-${events.length}`,
      type,
      ...(type === 'track' ? { event: 'Clicked' } : {}),
      anonymousId: visitor,
      timestamp: iso,
      receivedAt: iso,
      properties: {},
      context: { page: { path } },
      isBot,
    };
  };
  for (let day = 0; day < DAYS; day++) {
    for (let v = 0; v < 120; v++) {
      const visitor = `${tenantId}-visitor-${v}`;
      let time = FIRST_DAY + day * DAY + r.below(4 * 60) * MINUTE + r.below(MINUTE);
      for (let n = 1 + r.below(3); n > 0; n--) {
        const count = 1 + r.below(6);
        const visit: TrueVisit = { start: time, events: 0, durationMs: 0, pageviews: 0, entry: '', exit: '' };
        for (let e = 0; e < count; e++) {
          if (e > 0) {
            // At most the timeout exactly: a gap of the timeout itself still continues the visit.
            const gap = e === 1 && v % 7 === 0 ? timeout : 1_000 + r.below(timeout - 1_000);
            time += gap;
          }
          const path = PAGES[r.below(PAGES.length)]!;
          const type = r() < 0.7 ? 'page' : 'track';
          events.push(event(type, time, visitor, path));
          visit.events++;
          if (type === 'page') visit.pageviews++;
          if (e === 0) visit.entry = path;
          visit.exit = path;
          visit.durationMs = time - visit.start;
          // Identify calls and bot hits in the middle of a visit neither extend nor split it.
          if (r() < 0.2) events.push(event('identify', time + 500, visitor, path));
          if (r() < 0.1) events.push(event('page', time + 700, visitor, '/bot-trap', true));
        }
        visits.push(visit);
        time += timeout + 1 + r.below(2 * 60 * MINUTE);
      }
    }
  }
  // The log hands the speed layer events in the order they arrived: by time here.
  events.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  return { events, visits };
}

/** The batch holds the first two UTC days; the last two are the speed layer's alone. */
const setting = await groundTruthSetting('visits-truth', { batchDays: 2, tenants: TENANTS, events: () => data.flatMap((d) => d.events), visitTimeout: (t) => TIMEOUTS[t]! });
const { now: NOW, firstDay: FIRST_DAY } = setting;
const data = TENANTS.map((tenantId, i) => ({ tenantId, ...traffic(tenantId, 70 + i) }));
const metric = (name: string) => METRICS.find((m) => m.name === name)!;
const query = (tenantId: string, name: string, breakdown?: BreakdownDimension): MetricQuery => ({
  tenantId,
  metric: metric(name),
  from: FIRST_DAY,
  to: FIRST_DAY + DAYS * DAY,
  granularity: 'day',
  timeZone: 'UTC',
  limit: 20,
  ...(breakdown ? { breakdown } : {}),
});

/** The truth per UTC day: each visit metric's figure, and visits and exits per page. */
function truthOf(visits: TrueVisit[], day: number) {
  const those = visits.filter((v) => v.start >= FIRST_DAY + day * DAY && v.start < FIRST_DAY + (day + 1) * DAY);
  const per = (key: 'entry' | 'exit') => {
    const out: Record<string, number> = {};
    for (const v of those) out[v[key]] = (out[v[key]] ?? 0) + 1;
    return out;
  };
  return {
    visits: those.length,
    bounces: those.filter((v) => v.events === 1).length,
    visit_duration_ms: those.reduce((sum, v) => sum + v.durationMs, 0),
    visit_pageviews: those.reduce((sum, v) => sum + v.pageviews, 0),
    exits: those.length,
    entries: per('entry'),
    exitPages: per('exit'),
  };
}

/** The speed layer's fold over the events in arrival order, with each tenant's timeout. */
function foldSpeed(events: readonly AnalyticsEvent[]) {
  const buffer = new PartitionBuffer(0, 0, METRICS, Number.MAX_SAFE_INTEGER / 4, new VisitBook((tenantId) => TIMEOUTS[tenantId]!));
  events.forEach((event, i) => buffer.add(i, event, NOW));
  return buffer.toBatch();
}


it('generates visits of every shape: bounces, gaps of exactly the timeout, visits of several pages', () => {
  for (const { visits } of data) {
    expect(visits.length).toBeGreaterThan(500);
    expect(visits.filter((v) => v.events === 1).length).toBeGreaterThan(50);
    expect(visits.filter((v) => v.events >= 4).length).toBeGreaterThan(100);
  }
});

describe.each(setting.speedStores)('visit metrics against the ground truth ($name)', ({ skip, open }) => {
  let speed: AggregateStore;
  let batch: BatchViews;

  beforeAll(async () => {
    if (skip) return;
    speed = open();
    for (const d of data) await speed.applyCells([foldSpeed(d.events)]);
    batch = batchViewsFromCoverage(setting.views());
  }, 120_000);
  afterAll(async () => {
    if (skip) return;
    await speed.close();
    await setting.clearRedis();
  });

  it.skipIf(skip)('answers visits, bounces, duration and page views per day exactly, batch days and speed days alike', async () => {
    const serving = createServingLayer({ speed, batch, now: () => NOW });
    for (const { tenantId, visits } of data) {
      for (const name of ['visits', 'bounces', 'visit_duration_ms', 'visit_pageviews', 'exits'] as const) {
        const outcome = await serving.query(query(tenantId, name));
        if (!outcome.ok) throw new Error(outcome.error.message);
        expect(outcome.value.layers.map((l) => l.layer)).toEqual(['batch', 'speed']);
        const expected = Array.from({ length: DAYS }, (_, day) => truthOf(visits, day)[name]);
        expect({ tenantId, name, values: outcome.value.series.map((p) => p.value) }).toEqual({ tenantId, name, values: expected });
      }
    }
  });

  it.skipIf(skip)('answers entry and exit pages per day exactly in both layers', async () => {
    const serving = createServingLayer({ speed, batch, now: () => NOW });
    for (const { tenantId, visits } of data) {
      for (const [name, dimension, key] of [
        ['visits', 'visit.entry_page', 'entries'],
        ['exits', 'visit.exit_page', 'exitPages'],
      ] as const) {
        const outcome = await serving.query(query(tenantId, name, dimension));
        if (!outcome.ok) throw new Error(outcome.error.message);
        outcome.value.series.forEach((point, day) => {
          const truth = truthOf(visits, day)[key];
          const answered = Object.fromEntries(Object.entries(point.breakdown ?? {}).filter(([, n]) => n !== 0));
          expect({ tenantId, day, name, pages: answered }).toEqual({ tenantId, day, name, pages: truth });
        });
      }
    }
  });
});
