import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll } from 'vitest';
import { filteredMetric, funnelReport, goalReport, openDuckDb, retentionReport, type DuckDbEngine, type LakeStore } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { localObjectStore } from '../../src/storage/index.ts';
import { writeRaw } from './batch.fixture.ts';

export const DAY = 86_400_000;
/** Four UTC days: three the batch closes, and today, open at NOW. */
export const FIRST = Date.parse('2026-11-02T00:00:00Z');
export const NOW = FIRST + 3 * DAY + 12 * 3_600_000;
export const VISITORS = 60;
const COUNTRIES = ['GB', 'FR', 'US'];
const BROWSERS = ['Chrome', 'Firefox'];
const DEVICES = ['desktop', 'mobile', 'tablet'];

/** Visitors looking at pages and signing up now and then, each with a country, browser and device; a bot too. */
export function columnarEvents(): AnalyticsEvent[] {
  const out: AnalyticsEvent[] = [];
  for (let t = FIRST, i = 0; t < NOW; t += 7 * 60_000, i++) {
    const at = new Date(t).toISOString();
    const v = (i * 37) % VISITORS;
    const signup = i % 9 === 0;
    out.push({
      tenantId: 'acme',
      messageId: `m${i}`,
      type: signup ? 'track' : 'page',
      ...(signup ? { event: 'Signed Up', properties: { plan: i % 2 ? 'pro' : 'free', revenue: '9.99' } } : { properties: {} }),
      anonymousId: `a${v}`,
      ...(v % 5 === 0 ? { userId: `u${v}` } : {}),
      timestamp: at,
      receivedAt: at,
      context: { page: { path: `/p${i % 6}` } },
      dimensions: { country: COUNTRIES[v % 3]!, browser: BROWSERS[v % 2]!, device: DEVICES[i % 3]! },
      isBot: i % 41 === 0,
    });
  }
  return out;
}

export const GOALS = [
  { id: 'pro', kind: 'event' as const, event: 'Signed Up', properties: { plan: 'pro' } },
  { id: 'p3', kind: 'page' as const, path: '/p3' },
];

/** Every kind of raw-event question over the four days; answers and freshness as the routes return them. */
export async function askAll(connection: DuckDBConnection, lake: LakeStore) {
  const range = { tenantId: 'acme', from: FIRST, to: NOW };
  const buckets = Array.from({ length: 4 }, (_, d) => ({ start: FIRST + d * DAY, end: FIRST + (d + 1) * DAY }));
  const country = { kind: 'json' as const, root: 'dimensions' as const, path: ['country'] };
  const browser = { kind: 'json' as const, root: 'dimensions' as const, path: ['browser'] };
  const device = { kind: 'json' as const, root: 'dimensions' as const, path: ['device'] };
  const filtered = await filteredMetric(connection, lake, {
    tenantId: 'acme',
    measure: { kind: 'count' },
    types: ['page'],
    filters: [
      { dimension: country, value: 'GB' },
      { dimension: browser, value: 'Firefox' },
    ],
    breakdown: device,
    buckets,
  });
  const people = await filteredMetric(connection, lake, { tenantId: 'acme', measure: { kind: 'unique_person' }, filters: [{ dimension: country, value: 'FR' }, { dimension: device, value: 'mobile' }], buckets });
  const revenue = await filteredMetric(connection, lake, { tenantId: 'acme', measure: { kind: 'sum', property: 'properties.revenue', decimals: 2 }, events: ['Signed Up'], filters: [{ dimension: country, value: 'US' }, { dimension: browser, value: 'Chrome' }], buckets });
  const goals = await goalReport(connection, lake, range, GOALS);
  const funnel = await funnelReport(connection, lake, range, [{ kind: 'page', path: '/p1' }, { kind: 'page', path: '/p2' }, { kind: 'event', event: 'Signed Up' }], 3 * 3_600_000);
  const retention = await retentionReport(connection, lake, range, 'day');
  // Cut by visitors: any matching event for goals and funnels, the first one for retention.
  const goalsBy = await goalReport(connection, lake, { ...range, filters: [{ dimension: country, value: 'GB' }] }, GOALS);
  const funnelBy = await funnelReport(connection, lake, { ...range, filters: [{ dimension: device, value: 'mobile' }] }, [{ kind: 'page', path: '/p1' }, { kind: 'page', path: '/p2' }], 3 * 3_600_000);
  const retentionBy = await retentionReport(connection, lake, { ...range, filters: [{ dimension: device, value: 'tablet' }] }, 'day');
  const plain = (a: { result: { points: Array<{ value: number; breakdown: Map<string, number> }>; total: number; totals: Map<string, number> } }) => ({
    points: a.result.points.map((p) => ({ value: p.value, breakdown: Object.fromEntries([...p.breakdown].sort()) })),
    total: a.result.total,
    totals: Object.fromEntries([...a.result.totals].sort()),
  });
  return {
    answers: { filtered: plain(filtered), people: plain(people), revenue: plain(revenue), goals: goals.result, funnel: funnel.result, retention: retention.result, goalsBy: goalsBy.result, funnelBy: funnelBy.result, retentionBy: retentionBy.result },
    freshness: [filtered.freshness, people.freshness, revenue.freshness, goals.freshness, funnel.freshness, retention.freshness],
  };
}

/** A DuckDB connection and a scratch directory for the suite it is called in, opened before it and removed after. */
export function duckdbAndDir(prefix: string) {
  const held = {} as { engine: DuckDbEngine; connection: DuckDBConnection; dir: string };
  beforeAll(async () => {
    held.engine = await openDuckDb({ threads: 2 });
    held.connection = await held.engine.connect();
    held.dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    held.connection.closeSync();
    held.engine.close();
    await rm(held.dir, { recursive: true, force: true });
  });
  return held;
}

/** Every line of the tenant's raw files without `visitor`'s, in place (what an erasure's rewrite leaves). */
export async function removeVisitor(dir: string, visitor: string) {
  for (const entry of await readdir(join(dir, 'raw'), { recursive: true })) {
    if (!entry.endsWith('.ndjson')) continue;
    const path = join(dir, 'raw', entry);
    const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l && (JSON.parse(l) as AnalyticsEvent).anonymousId !== visitor);
    await writeFile(path, lines.map((l) => `${l}\n`).join(''));
  }
}

/** `ask` on a connection opened for it: nothing held from an earlier question. */
export async function onItsOwnConnection<T>(engine: DuckDbEngine, ask: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const c = await engine.connect();
  try {
    return await ask(c);
  } finally {
    c.closeSync();
  }
}

/** `columnarEvents` written to `dir` as the archiver writes raw objects (40 lines each, every fifth event sent twice), and the lake over it. */
export async function columnarLake(dir: string): Promise<{ lake: LakeStore; events: AnalyticsEvent[] }> {
  const events = columnarEvents();
  await writeRaw(dir, events, { duplicateEvery: 5, perFile: 40 });
  return { lake: localObjectStore(dir), events };
}

/** The four days as a daily series' buckets, and the dimensions the held-day tests filter on. */
export const DAY_BUCKETS = Array.from({ length: 4 }, (_, d) => ({ start: FIRST + d * DAY, end: FIRST + (d + 1) * DAY }));
export const COUNTRY = { kind: 'json' as const, root: 'dimensions' as const, path: ['country'] };
export const BROWSER = { kind: 'json' as const, root: 'dimensions' as const, path: ['browser'] };
export const DEVICE = { kind: 'json' as const, root: 'dimensions' as const, path: ['device'] };

/** GB Firefox page views per day from a plain reading of the events: humans, each messageId once a day. */
export function gbFirefoxViewsPerDay(events: readonly AnalyticsEvent[]): number[] {
  const seen = new Set<string>();
  const perDay = DAY_BUCKETS.map(() => 0);
  for (const e of events) {
    const at = Date.parse(e.timestamp);
    const i = DAY_BUCKETS.findIndex((b) => at >= b.start && at < b.end);
    if (seen.has(`${i} ${e.messageId}`)) continue;
    seen.add(`${i} ${e.messageId}`);
    if (e.isBot || e.type !== 'page' || e.dimensions?.country !== 'GB' || e.dimensions.browser !== 'Firefox') continue;
    if (i >= 0) perDay[i]!++;
  }
  return perDay;
}
