import { describe, expect, it } from 'vitest';
import { pageView } from '../speed/events.fixture.ts';
import { auth, queryApp } from './query-app.fixture.ts';

const HOUR = 3_600_000;
type Point = { start: string; end: string; value: number };

/** One page view at the start of every UTC hour in [fromIso, toIso). */
function hourly(fromIso: string, toIso: string) {
  const events = [];
  for (let t = Date.parse(fromIso); t < Date.parse(toIso); t += HOUR) events.push(pageView('acme', new Date(t + 60_000).toISOString()));
  return events;
}

async function series(now: number, events: ReturnType<typeof pageView>[], query: string) {
  const { app, ingest } = await queryApp(now);
  await ingest(events);
  const response = await app.inject({ method: 'GET', url: `/v1/query?metric=pageviews&${query}`, headers: auth('read-acme') });
  expect(response.statusCode, response.body).toBe(200);
  await app.close();
  return response.json<{ series: Point[]; from: string; to: string }>().series;
}

describe('queries in local time', () => {
  it('America/New_York spring-forward day has 23 hours and no 02:00', async () => {
    const events = hourly('2026-03-07T20:00:00Z', '2026-03-09T12:00:00Z');
    const now = Date.parse('2026-03-10T00:00:00Z');
    const days = await series(now, events, 'granularity=day&tz=America/New_York&from=2026-03-08&to=2026-03-09');
    expect(days).toEqual([{ start: '2026-03-08T00:00:00-05:00', end: '2026-03-09T00:00:00-04:00', value: 23 }]);

    const hours = await series(now, events, 'granularity=hour&tz=America/New_York&from=2026-03-08&to=2026-03-09');
    expect(hours).toHaveLength(23);
    expect(hours.map((h) => h.start.slice(11, 13))).not.toContain('02');
    expect(hours[1]).toEqual({ start: '2026-03-08T01:00:00-05:00', end: '2026-03-08T03:00:00-04:00', value: 1 });
    expect(hours.every((h) => h.value === 1)).toBe(true);
  });

  it('America/New_York fall-back day has 25 hours, the repeated 01:00 told apart by its offset', async () => {
    const events = hourly('2026-11-01T00:00:00Z', '2026-11-02T12:00:00Z');
    const now = Date.parse('2026-11-02T13:00:00Z');
    const days = await series(now, events, 'granularity=day&tz=America/New_York&from=2026-10-31&to=2026-11-03');
    expect(days.map((d) => [d.start, d.end, d.value])).toEqual([
      ['2026-10-31T00:00:00-04:00', '2026-11-01T00:00:00-04:00', 4], // 00:00Z-03:00Z = 20:00-23:00 EDT
      ['2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00', 25],
      ['2026-11-02T00:00:00-05:00', '2026-11-03T00:00:00-05:00', 7], // 05:00Z-11:00Z = 00:00-06:00 EST
    ]);
    const hours = await series(now, events, 'granularity=hour&tz=America/New_York&from=2026-11-01&to=2026-11-02');
    expect(hours).toHaveLength(25);
    expect(hours.filter((h) => h.start.includes('T01:00:00'))).toEqual([
      { start: '2026-11-01T01:00:00-04:00', end: '2026-11-01T01:00:00-05:00', value: 1 },
      { start: '2026-11-01T01:00:00-05:00', end: '2026-11-01T02:00:00-05:00', value: 1 },
    ]);
  });

  it('Asia/Kolkata (+5:30) puts 18:29:59Z and 18:30:00Z on different local days and hours', async () => {
    const events = [pageView('acme', '2026-06-10T18:29:59Z'), pageView('acme', '2026-06-10T18:30:00Z'), pageView('acme', '2026-06-10T04:44:00Z')];
    const now = Date.parse('2026-06-12T00:00:00Z');
    const days = await series(now, events, 'granularity=day&tz=Asia/Kolkata&from=2026-06-10&to=2026-06-12');
    expect(days.map((d) => [d.start, d.value])).toEqual([
      ['2026-06-10T00:00:00+05:30', 2],
      ['2026-06-11T00:00:00+05:30', 1],
    ]);
    const hours = await series(now, events, 'granularity=hour&tz=Asia/Kolkata&from=2026-06-10T10:00&to=2026-06-10T11:00');
    // 04:44Z is 10:14 IST; the local hour 10:00-11:00 is 04:30Z-05:30Z.
    expect(hours).toEqual([{ start: '2026-06-10T10:00:00+05:30', end: '2026-06-10T11:00:00+05:30', value: 1 }]);
    const utcDays = await series(now, events, 'granularity=day&tz=UTC&from=2026-06-10&to=2026-06-11');
    expect(utcDays.map((d) => d.value)).toEqual([3]);
  });

  it('Asia/Kathmandu (+5:45) starts its days and hours at quarter past in UTC', async () => {
    const events = [pageView('acme', '2026-06-10T18:14:59Z'), pageView('acme', '2026-06-10T18:15:00Z'), pageView('acme', '2026-06-10T19:14:00Z')];
    const now = Date.parse('2026-06-12T00:00:00Z');
    const days = await series(now, events, 'granularity=day&tz=Asia/Kathmandu&from=2026-06-10&to=2026-06-12');
    expect(days.map((d) => [d.start, d.value])).toEqual([
      ['2026-06-10T00:00:00+05:45', 1],
      ['2026-06-11T00:00:00+05:45', 2],
    ]);
    const hours = await series(now, events, 'granularity=hour&tz=Asia/Kathmandu&from=2026-06-10T23:00&to=2026-06-11T01:00');
    expect(hours).toEqual([
      { start: '2026-06-10T23:00:00+05:45', end: '2026-06-11T00:00:00+05:45', value: 1 },
      { start: '2026-06-11T00:00:00+05:45', end: '2026-06-11T01:00:00+05:45', value: 2 },
    ]);
  });
});
