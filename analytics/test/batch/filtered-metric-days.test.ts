import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { filteredMetrics, runBatch, type LakeStore } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { writeRaw } from './batch.fixture.ts';
import { BROWSER, columnarLake, COUNTRY, DAY, DAY_BUCKETS, DEVICE, duckdbAndDir, FIRST, gbFirefoxViewsPerDay, onItsOwnConnection, NOW, removeVisitor } from './raw-columnar.fixture.ts';

const buckets = DAY_BUCKETS;
const hours = DAY_BUCKETS.flatMap(({ start }) => Array.from({ length: 24 }, (_, h) => ({ start: start + h * 3_600_000, end: start + (h + 1) * 3_600_000 })));
/** The hourly counts of `ask`'s last part, added up per day. */
const hourlyPerDay = (answer: Awaited<ReturnType<typeof ask>>) =>
  DAY_BUCKETS.map((_, d) => answer.answers[5]!.points.slice(d * 24, (d + 1) * 24).reduce((n, p) => n + (p[0] as number), 0));
const [country, browser, device] = [COUNTRY, BROWSER, DEVICE];
const filters = [
  { dimension: country, value: 'GB' },
  { dimension: browser, value: 'Firefox' },
];

/** FR people (userId, else anonymousId) per day and over the four days, from a plain reading of the human events (each messageId once a day). */
function frPeople(events: readonly AnalyticsEvent[]): { perDay: number[]; total: number } {
  const seen = new Set<string>();
  const perDay = buckets.map(() => new Set<string>());
  for (const e of events) {
    const i = buckets.findIndex((b) => Date.parse(e.timestamp) >= b.start && Date.parse(e.timestamp) < b.end);
    if (seen.has(`${i} ${e.messageId}`)) continue;
    seen.add(`${i} ${e.messageId}`);
    if (e.isBot || e.dimensions?.country !== 'FR') continue;
    if (i >= 0) perDay[i]!.add(e.userId ?? e.anonymousId!);
  }
  return { perDay: perDay.map((s) => s.size), total: new Set(perDay.flatMap((s) => [...s])).size };
}

/** A count by device, visit facts, a sum and a distinct count of people by device, as plain data. */
async function ask(connection: DuckDBConnection, lake: LakeStore) {
  const early = buckets.slice(0, 2);
  const { results, freshness } = await filteredMetrics(connection, lake, 'acme', [
    { measure: { kind: 'count' }, types: ['page'], filters, breakdown: device, buckets },
    { measure: { kind: 'visit', fact: 'bounces', timeoutMs: 1_800_000 }, types: ['page'], filters, buckets },
    { measure: { kind: 'visit', fact: 'visits', timeoutMs: 1_800_000 }, types: ['page'], filters, buckets: early },
    { measure: { kind: 'sum', property: 'properties.revenue', decimals: 2 }, types: ['track'], filters: [{ dimension: device, value: 'desktop' }], buckets },
    { measure: { kind: 'unique_person' }, filters: [{ dimension: country, value: 'FR' }], breakdown: device, buckets },
    // Hour by hour: the periods of many days read at once are joined as ranges, those of one day found by a CASE.
    { measure: { kind: 'count' }, types: ['page'], filters, buckets: hours },
  ]);
  return {
    answers: results.map((r) => ({ points: r.points.map((p) => [p.value, Object.fromEntries([...p.breakdown].sort())]), total: r.total, totals: Object.fromEntries([...r.totals].sort()) })),
    through: freshness.through,
    files: freshness.files,
  };
}

/** The connection, counting the statements that read closed days (their held rows or their copies), those that parse NDJSON files, and those that count events. */
function watched(connection: DuckDBConnection) {
  const seen = { closedDayReads: 0, ndjsonReads: 0, counts: 0 };
  const proxy = new Proxy(connection, {
    get(target, name, receiver) {
      if (name === 'run' || name === 'runAndReadAll') {
        return (sql: string) => {
          if (/raw_day_cache|read_parquet/.test(sql) && !/^\s*(ALTER|UPDATE|DELETE|CREATE|INSERT)/.test(sql)) seen.closedDayReads++;
          if (sql.includes('read_json(')) seen.ndjsonReads++;
          if (sql.startsWith('WITH r AS')) seen.counts++;
          return name === 'run' ? target.run(sql) : target.runAndReadAll(sql);
        };
      }
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as DuckDBConnection;
  return { connection: proxy, seen };
}

describe("closed days' shares of filtered counts, sums, visit facts and distinct counts", () => {
  const held = duckdbAndDir('filtered-metric-days-');

  it('adds the shares of closed days answered before and holds today\'s objects, and reads a day or an object again once a late object, an erasure or a rebuild changed it', { timeout: 180_000 }, async () => {
    const { dir, engine } = held;
    const { lake, events } = await columnarLake(dir);
    await runBatch({ lake, tenants: ['acme'], now: NOW });
    const fresh = () => onItsOwnConnection(engine, (c) => ask(c, lake));
    const { connection, seen } = watched(held.connection);

    const first = await ask(connection, lake);
    expect(first.answers[0]!.points.map((p) => p[0])).toEqual(gbFirefoxViewsPerDay(events));
    expect(hourlyPerDay(first)).toEqual(gbFirefoxViewsPerDay(events));
    expect(first.answers[1]!.total).toBeGreaterThan(0);
    expect(first.answers[3]!.total).toBeGreaterThan(0);
    // People seen on several days count once over the range.
    const people = frPeople(events);
    expect({ perDay: first.answers[4]!.points.map((p) => p[0]), total: first.answers[4]!.total }).toEqual(people);
    expect(people.total).toBeLessThan(people.perDay.reduce((a, b) => a + b, 0));
    expect(first).toEqual(await fresh());
    // Asked again: the three closed days and today (its objects unchanged) are added from their shares; nothing is counted.
    const reads = { ...seen };
    expect(await ask(connection, lake)).toEqual(first);
    expect(seen).toEqual(reads);

    // A new object of today (the archiver's next flush): today alone is counted again, with it, and then shared.
    const template = events.find((e) => e.type === 'page' && !e.isBot && e.dimensions?.country === 'GB' && e.dimensions.browser === 'Firefox')!;
    const flushed = { ...template, messageId: 'flushed', timestamp: new Date(NOW - 3_600_000).toISOString(), receivedAt: new Date(NOW - 1000).toISOString() };
    await writeRaw(dir, [flushed], { partition: 8 });
    const withFlush = await ask(connection, lake);
    expect(seen.counts).toBe(reads.counts + 1);
    expect(withFlush.answers[0]!.points.map((p) => p[0])).toEqual(gbFirefoxViewsPerDay([...events, flushed]));
    expect(hourlyPerDay(withFlush)).toEqual(gbFirefoxViewsPerDay([...events, flushed]));
    expect(withFlush).toEqual(await fresh());
    expect(await ask(connection, lake)).toEqual(withFlush);
    expect(seen.counts).toBe(reads.counts + 1);

    // A late GB Firefox page view for the second day: that day is read again, with it, from its NDJSON (its copy no
    // longer stands for it), and then shared while its objects are unchanged.
    const late = { ...template, messageId: 'late', timestamp: new Date(FIRST + DAY + 3_600_000).toISOString(), receivedAt: new Date(NOW - 1000).toISOString() };
    await writeRaw(dir, [late], { partition: 7 });
    const withLate = await ask(connection, lake);
    expect(withLate.answers[0]!.points.map((p) => p[0])).toEqual(gbFirefoxViewsPerDay([...events, flushed, late]));
    expect(withLate).toEqual(await fresh());
    const counted = seen.counts;
    expect(await ask(connection, lake)).toEqual(withLate);
    expect(seen.counts).toBe(counted);

    // The same message sent again a day later (another timestamp): each day counts it once, as the batch counts
    // each day from its own objects, whichever days a question reads together.
    const resent = { ...late, timestamp: new Date(NOW - 7_200_000).toISOString(), receivedAt: new Date(NOW - 500).toISOString() };
    await writeRaw(dir, [resent], { partition: 9 });
    const withResent = await ask(connection, lake);
    expect(withResent.answers[0]!.points.map((p) => p[0])).toEqual(gbFirefoxViewsPerDay([...events, flushed, late, resent]));
    const views = (answer: typeof withLate) => answer.answers[0]!.points.map((p) => p[0] as number);
    expect(views(withResent)[3]).toBe(views(withLate)[3]! + 1);
    expect(withResent).toEqual(await fresh());

    // An erasure rewrites the objects in place (today's too), settles, and the batch compacts the days again before the
    // next question: the new copies' days and today's rewritten objects are read again.
    const erased = template.anonymousId!;
    await removeVisitor(dir, erased);
    await lake.put('erasures/tenant=acme/r1.json', Buffer.from(JSON.stringify({ status: 'done', rewrittenAt: new Date(NOW).toISOString() })));
    await runBatch({ lake, tenants: ['acme'], now: NOW, from: new Date(FIRST).toISOString().slice(0, 10), to: new Date(FIRST + 2 * DAY).toISOString().slice(0, 10) });
    const remaining = [...events, flushed, late, resent].filter((e) => e.anonymousId !== erased);
    const afterErasure = await ask(connection, lake);
    expect(afterErasure.answers[0]!.points.map((p) => p[0])).toEqual(gbFirefoxViewsPerDay(remaining));
    expect(afterErasure.answers[4]!.total).toBe(frPeople(remaining).total);
    expect(afterErasure).toEqual(await fresh());
    expect(afterErasure.answers[1]).not.toEqual(withResent.answers[1]);
  });
});
