import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { findMetric, type MetricDeclaration } from '../../src/contracts/metrics.ts';
import { type Granularity, type MetricQuery, type ServeOutcome, type ServedResult, createServingLayer, runQuery, seriesBuckets } from '../../src/serving/index.ts';
import { parseBound } from '../../src/calendar/time-zone.ts';
import { orderCompleted, pageView } from '../speed/events.fixture.ts';
import { QUARTER, layers } from './serving.fixture.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-25T12:00:00.000Z');

const metric = (name: string): MetricDeclaration => {
  const found = findMetric(name);
  if (!found) throw new Error(name);
  return found;
};
const q = (over: Partial<MetricQuery> & { metric: MetricDeclaration }): MetricQuery => ({
  tenantId: 'acme',
  from: NOW - DAY,
  to: NOW,
  granularity: 'hour',
  timeZone: 'UTC',
  limit: 10,
  ...over,
});
const served = (outcome: ServeOutcome): ServedResult => {
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value;
};
/** What must agree with an all-speed answer: everything but freshness and the serving fields. */
const answer = ({ freshness: _f, watermark: _w, lagMs: _l, layers: _s, ...rest }: ServedResult) => rest;

const opened: Array<{ close(): Promise<void> }> = [];
function open(now: number) {
  const l = layers(now);
  opened.push(l);
  return l;
}
afterEach(async () => {
  for (const l of opened.splice(0)) await l.close();
});

describe('the serving layer merges batch views and the speed layer at B', () => {
  it('equals the all-speed answer for any split, zone, granularity and metric kind', async () => {
    const event = fc.record({
      minute: fc.integer({ min: 0, max: 3 * 24 * 60 - 1 }),
      user: fc.integer({ min: 0, max: 6 }),
      path: fc.integer({ min: 0, max: 3 }),
      order: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { minLength: 1, maxLength: 60 }),
        // B anywhere from before the range to after it, not always on a quarter.
        fc.integer({ min: -10, max: 3 * 24 * 60 + 60 }),
        fc.constantFrom<Granularity>('hour', 'day'),
        fc.constantFrom('UTC', 'Asia/Kathmandu', 'America/New_York', 'Asia/Kolkata'),
        fc.constantFrom('pageviews', 'unique_users', 'revenue', 'top_pages', 'events'),
        async (raw, bMinute, granularity, timeZone, name) => {
          const start = NOW - 3 * DAY;
          const events = raw.map((e): AnalyticsEvent => {
            const at = new Date(start + e.minute * 60_000 + 7_000).toISOString();
            const extra = { userId: `u${e.user}`, context: { page: { path: `/p${e.path}` } } };
            return e.order ? { ...orderCompleted('acme', at, `${e.path + 1}.25`), ...extra } : pageView('acme', at, extra);
          });
          const reference = open(NOW);
          await reference.toSpeed(events);
          const split = open(NOW);
          const watermark = start + bMinute * 60_000;
          await split.split(events, watermark);

          const m = metric(name);
          const query = q({ metric: m, from: start, granularity, timeZone, ...(m.breakdowns[0] ? { breakdown: m.breakdowns[0] } : {}) });
          const expected = await runQuery(reference.speed, query, NOW);
          const result = served(await createServingLayer({ speed: split.speed, batch: split.batch, now: () => NOW }).query(query));
          const { freshness: _f, ...rest } = expected;
          expect(answer(result)).toEqual(rest);
          expect(result.watermark).toBe(new Date(watermark).toISOString());
        },
      ),
      { numRuns: 25 },
    );
  });

  it('takes buckets up to B from the batch even when the speed layer has them too, and states B, lag and layers', async () => {
    const l = open(NOW);
    const B = Date.parse('2026-11-25T02:07:00Z'); // not on a quarter: 01:45-02:00 is the last batch bucket
    const events = [pageView('acme', '2026-11-25T01:50:00Z'), pageView('acme', '2026-11-25T02:01:00Z'), pageView('acme', '2026-11-25T11:00:00Z')];
    await l.toSpeed([...events, pageView('acme', '2026-11-25T01:10:00Z')]); // the speed layer over-counts before B
    await l.toBatch(events.slice(0, 1));
    l.batch.setWatermark('acme', B);
    const result = served(await createServingLayer({ speed: l.speed, batch: l.batch, now: () => NOW }).query(q({ metric: metric('pageviews') })));
    expect(result.total.value).toBe(3);
    expect(result.series.find((p) => p.start === '2026-11-25T01:00:00+00:00')?.value).toBe(1);
    expect(result.watermark).toBe('2026-11-25T02:07:00.000Z');
    expect(result.lagMs).toBe(NOW - B);
    expect(result.layers).toEqual([
      { from: '2026-11-24T12:00:00+00:00', to: '2026-11-25T02:00:00+00:00', layer: 'batch' },
      { from: '2026-11-25T02:00:00+00:00', to: '2026-11-25T12:00:00+00:00', layer: 'speed' },
    ]);
  });

  it('answers a minute series from the speed layer alone (the batch keeps no minutes)', async () => {
    const l = open(NOW);
    await l.toSpeed([pageView('acme', '2026-11-25T11:10:30Z')]);
    l.batch.setWatermark('acme', NOW - 5 * 60_000);
    const result = served(
      await createServingLayer({ speed: l.speed, batch: l.batch, now: () => NOW }).query(q({ metric: metric('pageviews'), granularity: 'minute', from: NOW - HOUR })),
    );
    expect(result.total.value).toBe(1);
    expect(result.layers).toEqual([{ from: '2026-11-25T11:00:00+00:00', to: '2026-11-25T12:00:00+00:00', layer: 'speed' }]);
  });
});

describe('a period neither layer holds', () => {
  const old = q({ metric: metric('pageviews'), granularity: 'day', from: NOW - 40 * DAY, to: NOW - 30 * DAY });

  it('is an error naming the period when the batch has no watermark, never a zero', async () => {
    const l = open(NOW);
    const outcome = await createServingLayer({ speed: l.speed, batch: l.batch, now: () => NOW }).query(old);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe('SERVING.PERIOD_NOT_COVERED');
    // From the first local day's start to the first quarter the speed layer still holds (35 days, one minute margin).
    const firstHeld = Math.ceil((NOW + 60_000 - l.speed.retention.quarterMs + 1) / QUARTER) * QUARTER;
    expect(outcome.error.missing).toEqual([{ from: Date.parse('2026-10-16T00:00:00Z'), to: firstHeld }]);
    expect(outcome.error.message).toContain('2026-10-16T00:00:00+00:00 to 2026-10-21T12:15:00+00:00');
  });

  it('is covered once B passes it, and a batch gap is an error only where the speed layer has expired', async () => {
    const l = open(NOW);
    await l.toBatch([pageView('acme', '2026-10-17T03:00:00Z')]);
    // The speed layer holds a view the batch lost (its partition is gone).
    await l.toSpeed([pageView('acme', '2026-11-22T03:00:00Z')]);
    const B = NOW - 2 * DAY; // 2026-11-23T12:00Z
    l.batch.setWatermark('acme', B);
    const serving = createServingLayer({ speed: l.speed, batch: l.batch, now: () => NOW });
    const wide = q({ metric: metric('pageviews'), granularity: 'day', from: NOW - 40 * DAY });
    const unmarked = served(await serving.query(wide));
    expect(unmarked.total.value).toBe(1);
    expect(unmarked.layers.map((s) => s.layer)).toEqual(['batch', 'speed']);

    // Once the batch names the gap, the speed layer, which still holds it, fills it.
    l.batch.markMissing('acme', { from: Date.parse('2026-11-22T00:00:00Z'), to: Date.parse('2026-11-22T06:00:00Z') });
    const patched = served(await serving.query(wide));
    expect(patched.total.value).toBe(2);
    expect(patched.layers.map((s) => [s.from, s.layer])).toEqual([
      ['2026-10-16T00:00:00+00:00', 'batch'],
      ['2026-11-22T00:00:00+00:00', 'speed'],
      ['2026-11-22T06:00:00+00:00', 'batch'],
      ['2026-11-23T12:00:00+00:00', 'speed'],
    ]);
    // A gap the speed layer no longer holds is named.
    const lost = { from: Date.parse('2026-10-17T00:00:00Z'), to: Date.parse('2026-10-17T06:00:00Z') };
    l.batch.markMissing('acme', lost);
    const outcome = await serving.query(wide);
    expect(outcome.ok ? null : outcome.error.missing).toEqual([lost]);
  });
});

describe('local periods straddling B', () => {
  it('America/New_York fall-back day (25 h) split inside the repeated 01:00 hour', async () => {
    const now = Date.parse('2026-11-02T13:00:00Z');
    const events: AnalyticsEvent[] = [];
    for (let t = Date.parse('2026-11-01T00:00:00Z'); t < Date.parse('2026-11-02T12:00:00Z'); t += HOUR) {
      events.push(pageView('acme', new Date(t + 60_000).toISOString(), { userId: 'same' }));
    }
    // A second view in 01:00-02:00 EST after B, by the same person.
    events.push(pageView('acme', '2026-11-01T06:20:00Z', { userId: 'same' }));
    const B = Date.parse('2026-11-01T06:15:00Z'); // 01:15 EST
    const l = open(now);
    await l.split(events, B);
    const serving = createServingLayer({ speed: l.speed, batch: l.batch, now: () => now });
    const tz = 'America/New_York';
    const days = served(await serving.query(q({ metric: metric('pageviews'), granularity: 'day', timeZone: tz, from: parseBound('2026-10-31', tz)!, to: parseBound('2026-11-03', tz)! })));
    expect(days.series.map((d) => [d.start, d.value])).toEqual([
      ['2026-10-31T00:00:00-04:00', 4],
      ['2026-11-01T00:00:00-04:00', 26],
      ['2026-11-02T00:00:00-05:00', 7],
    ]);
    const hours = served(await serving.query(q({ metric: metric('pageviews'), timeZone: tz, from: parseBound('2026-11-01', tz)!, to: parseBound('2026-11-02', tz)! })));
    expect(hours.series).toHaveLength(25);
    expect(hours.series.filter((h) => h.start.includes('T01:00:00')).map((h) => [h.start, h.value])).toEqual([
      ['2026-11-01T01:00:00-04:00', 1],
      ['2026-11-01T01:00:00-05:00', 2],
    ]);
    expect(hours.layers).toEqual([
      { from: '2026-11-01T00:00:00-04:00', to: '2026-11-01T01:15:00-05:00', layer: 'batch' },
      { from: '2026-11-01T01:15:00-05:00', to: '2026-11-02T00:00:00-05:00', layer: 'speed' },
    ]);
    // The split hour's person is one person: sketches merge across B.
    const uniques = served(await serving.query(q({ metric: metric('unique_users'), timeZone: tz, from: B - HOUR, to: B + HOUR })));
    expect(uniques.series.find((h) => h.start === '2026-11-01T01:00:00-05:00')?.value).toBe(1);
    expect(uniques.total.value).toBe(1);
  });

  it('Asia/Kathmandu (+5:45) day split by B at a quarter hour equals the all-speed answer', async () => {
    const now = Date.parse('2026-06-12T06:00:00Z');
    const events: AnalyticsEvent[] = [];
    for (let t = Date.parse('2026-06-10T12:00:00Z'); t < Date.parse('2026-06-12T00:00:00Z'); t += HOUR / 2) {
      events.push(pageView('acme', new Date(t + 20 * 60_000).toISOString(), { userId: `u${(t / HOUR / 2) % 9}` }));
    }
    const B = Date.parse('2026-06-11T06:30:00Z'); // 12:15 local
    const split = open(now);
    await split.split(events, B);
    const reference = open(now);
    await reference.toSpeed(events);
    const serving = createServingLayer({ speed: split.speed, batch: split.batch, now: () => now });
    const tz = 'Asia/Kathmandu';
    for (const granularity of ['day', 'hour'] as const) {
      for (const name of ['pageviews', 'unique_users']) {
        const query = q({ metric: metric(name), granularity, timeZone: tz, from: parseBound('2026-06-10', tz)!, to: parseBound('2026-06-12', tz)! });
        const result = served(await serving.query(query));
        const { freshness: _f, ...expected } = await runQuery(reference.speed, query, now);
        expect(answer(result)).toEqual(expected);
      }
    }
    const days = served(await serving.query(q({ metric: metric('pageviews'), granularity: 'day', timeZone: tz, from: parseBound('2026-06-10', tz)!, to: parseBound('2026-06-12', tz)! })));
    // Local 2026-06-11 is 2026-06-10T18:15Z-2026-06-11T18:15Z: views at :20 and :50 of each UTC hour.
    expect(days.series.map((d) => [d.start, d.value])).toEqual([
      ['2026-06-10T00:00:00+05:45', 12],
      ['2026-06-11T00:00:00+05:45', 48],
    ]);
    expect(days.layers).toEqual([
      { from: '2026-06-10T00:00:00+05:45', to: '2026-06-11T12:15:00+05:45', layer: 'batch' },
      { from: '2026-06-11T12:15:00+05:45', to: '2026-06-12T00:00:00+05:45', layer: 'speed' },
    ]);
    expect(seriesBuckets({ from: B, to: B + 1, granularity: 'day', timeZone: tz })[0]?.sources).toContain(B);
  });
});
