import { describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { filteredMetric, funnelReport, goalReport, retentionReport, runBatch, type LakeStore } from '../../src/batch/index.ts';
import { writeRaw } from './batch.fixture.ts';
import { BROWSER, columnarLake, COUNTRY, DAY, DAY_BUCKETS, DEVICE, duckdbAndDir, FIRST, gbFirefoxViewsPerDay, onItsOwnConnection, GOALS, NOW, removeVisitor } from './raw-columnar.fixture.ts';

const buckets = DAY_BUCKETS;
const [country, browser, device] = [COUNTRY, BROWSER, DEVICE];

/** A count, a visit fact and a distinct count under two filters, as plain data. */
async function ask(connection: DuckDBConnection, lake: LakeStore) {
  const filters = [
    { dimension: country, value: 'GB' },
    { dimension: browser, value: 'Firefox' },
  ];
  const views = await filteredMetric(connection, lake, { tenantId: 'acme', measure: { kind: 'count' }, types: ['page'], filters, breakdown: device, buckets });
  const bounces = await filteredMetric(connection, lake, { tenantId: 'acme', measure: { kind: 'visit', fact: 'bounces', timeoutMs: 1_800_000 }, types: ['page'], filters, buckets });
  const people = await filteredMetric(connection, lake, { tenantId: 'acme', measure: { kind: 'unique_person' }, filters: [{ dimension: country, value: 'FR' }, { dimension: device, value: 'mobile' }], buckets });
  return {
    views: views.result.points.map((p) => p.value),
    byDevice: Object.fromEntries([...views.result.totals].sort()),
    bounces: bounces.result.points.map((p) => p.value),
    people: people.result.total,
    through: views.freshness.through,
  };
}

const heldRows = async (connection: DuckDBConnection, where = 'true') => Number((await connection.runAndReadAll(`SELECT count(*) FROM raw_day_cache WHERE ${where}`)).getRowsJS()[0]![0]);

describe("a connection's held days of the columnar copies", () => {
  const held = duckdbAndDir('raw-day-cache-');

  it('answers as the raw events do, again from the held rows, and lets go of days a late object, an erasure or a rebuild changed', { timeout: 180_000 }, async () => {
    const { dir, engine } = held;
    const { lake, events } = await columnarLake(dir);
    // The raw computation: a connection of its own over the NDJSON alone.
    const fresh = () => onItsOwnConnection(engine, (c) => ask(c, lake));
    const fromNdjson = await fresh();
    expect(fromNdjson.views).toEqual(gbFirefoxViewsPerDay(events));
    expect(fromNdjson.bounces.some((n) => n > 0)).toBe(true);

    await runBatch({ lake, tenants: ['acme'], now: NOW });
    const connection = held.connection;
    expect(await ask(connection, lake)).toEqual(fromNdjson);
    const rows = await heldRows(connection);
    expect(rows).toBeGreaterThan(0);
    // Asked again: the same answer from the rows already held, none loaded twice.
    expect(await ask(connection, lake)).toEqual(fromNdjson);
    expect(await heldRows(connection)).toBe(rows);

    // A late GB Firefox page view for the second day: that day is read from its NDJSON again, with it.
    const template = events.find((e) => e.type === 'page' && !e.isBot && e.dimensions?.country === 'GB' && e.dimensions.browser === 'Firefox')!;
    const late = { ...template, messageId: 'late', timestamp: new Date(FIRST + DAY + 3_600_000).toISOString(), receivedAt: new Date(NOW - 1000).toISOString() };
    await writeRaw(dir, [late], { partition: 7 });
    const withLate = await ask(connection, lake);
    expect(withLate.views).toEqual(gbFirefoxViewsPerDay([...events, late]));
    expect(withLate).toEqual(await fresh());
    expect(await heldRows(connection, `date = '${new Date(FIRST + DAY).toISOString().slice(0, 10)}'`)).toBe(0);

    // An erasure rewrites the NDJSON in place and settles: the erased visitor's held rows go at the next question.
    const erasedVisitor = template.anonymousId!;
    expect(await heldRows(connection, `visitor = '${erasedVisitor}'`)).toBeGreaterThan(0);
    await removeVisitor(dir, erasedVisitor);
    await lake.put('erasures/tenant=acme/r1.json', Buffer.from(JSON.stringify({ status: 'done', rewrittenAt: new Date(NOW).toISOString() })));
    const erased = await ask(connection, lake);
    const remaining = [...events, late].filter((e) => e.anonymousId !== erasedVisitor);
    expect(erased.views).toEqual(gbFirefoxViewsPerDay(remaining));
    expect(erased).toEqual(await fresh());
    expect(await heldRows(connection, `visitor = '${erasedVisitor}'`)).toBe(0);

    // The batch compacts the rewritten days again: new copies, loaded again, the same answers without the visitor.
    await runBatch({ lake, tenants: ['acme'], now: NOW, from: new Date(FIRST).toISOString().slice(0, 10), to: new Date(FIRST + 2 * DAY).toISOString().slice(0, 10) });
    expect(await ask(connection, lake)).toEqual(erased);
    expect(await heldRows(connection)).toBeGreaterThan(0);
    expect(await heldRows(connection, `visitor = '${erasedVisitor}'`)).toBe(0);

    // Another erasure, and the copies compacted again before any question: the held days are another copy's, loaded again.
    const second = events.find((e) => e.type === 'page' && !e.isBot && e.dimensions?.country === 'GB' && e.dimensions.browser === 'Firefox' && e.anonymousId !== erasedVisitor)!.anonymousId!;
    await removeVisitor(dir, second);
    await lake.put('erasures/tenant=acme/r2.json', Buffer.from(JSON.stringify({ status: 'done', rewrittenAt: new Date(NOW).toISOString() })));
    await runBatch({ lake, tenants: ['acme'], now: NOW, from: new Date(FIRST).toISOString().slice(0, 10), to: new Date(FIRST + 2 * DAY).toISOString().slice(0, 10) });
    const again = await ask(connection, lake);
    expect(again.views).toEqual(gbFirefoxViewsPerDay(remaining.filter((e) => e.anonymousId !== second)));
    expect(again).toEqual(await fresh());
    expect(await heldRows(connection, `visitor = '${second}'`)).toBe(0);
  });
});

describe("goal, funnel and retention reports over a connection's held days", () => {
  const held = duckdbAndDir('raw-day-cache-reports-');

  /** Each report as plain data, filtered by visitors too. */
  async function reports(connection: DuckDBConnection, lake: LakeStore) {
    const range = { tenantId: 'acme', from: FIRST, to: NOW };
    const steps = [{ kind: 'page' as const, path: '/p1' }, { kind: 'page' as const, path: '/p2' }, { kind: 'event' as const, event: 'Signed Up' }];
    return {
      goals: (await goalReport(connection, lake, range, GOALS)).result,
      goalsBy: (await goalReport(connection, lake, { ...range, filters: [{ dimension: country, value: 'GB' }] }, GOALS)).result,
      funnel: (await funnelReport(connection, lake, range, steps, 3 * 3_600_000)).result,
      retention: (await retentionReport(connection, lake, { ...range, filters: [{ dimension: device, value: 'tablet' }] }, 'day')).result,
    };
  }

  it('answer from the held rows as from the NDJSON, and read a day a late object changed from its objects again', { timeout: 180_000 }, async () => {
    const { dir, engine } = held;
    const { lake, events } = await columnarLake(dir);
    const fresh = () => onItsOwnConnection(engine, (c) => reports(c, lake));
    const fromNdjson = await fresh();
    expect(fromNdjson.funnel[0]!.visitors).toBeGreaterThan(0);

    await runBatch({ lake, tenants: ['acme'], now: NOW });
    const connection = held.connection;
    expect(await reports(connection, lake)).toEqual(fromNdjson);
    const rows = await heldRows(connection);
    expect(rows).toBeGreaterThan(0);
    expect(await reports(connection, lake)).toEqual(fromNdjson);
    expect(await heldRows(connection)).toBe(rows);

    // A late pro sign-up for the second day: the day is read from its NDJSON again, with it.
    const template = events.find((e) => !e.isBot && e.event === 'Signed Up' && e.properties?.plan === 'pro' && e.dimensions?.country === 'GB')!;
    const late = { ...template, messageId: 'late', timestamp: new Date(FIRST + DAY + 3_600_000).toISOString(), receivedAt: new Date(NOW - 1000).toISOString() };
    await writeRaw(dir, [late], { partition: 7 });
    const withLate = await reports(connection, lake);
    expect(withLate.goals[0]!.conversions).toBe(fromNdjson.goals[0]!.conversions + 1);
    expect(withLate).toEqual(await fresh());
    expect(await heldRows(connection, `date = '${new Date(FIRST + DAY).toISOString().slice(0, 10)}'`)).toBe(0);
  });
});
