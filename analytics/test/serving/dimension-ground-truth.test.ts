import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBatchViewStore, runBatch, type BatchViewStore } from '../../src/batch/index.ts';
import { METRICS } from '../../src/contracts/index.ts';
import { seededRandom } from '../../src/demo/seeded-random.ts';
import { batchViewsFromCoverage, createServingLayer, type MetricQuery, type MetricResult } from '../../src/serving/index.ts';
import { createMemoryAggregateStore } from '../../src/speed/index.ts';
import { until } from '../speed/until.ts';
import { basic, startTestApp, type TestApp } from '../collector/support/test-app.ts';

/**
 * Ingest dimensions end to end: made-up traffic goes through the collector (which fills the
 * dimensions), the log, the speed layer and the archiver into the raw store, then through the
 * DuckDB batch. Every expected figure is counted from the generator's own table (the browser each
 * user agent is, the country each address is in, the UTM source each visit was given), never
 * from the code under test.
 */
const DAY = 86_400_000;
const NOW = Date.now();
const FIRST = Math.floor(NOW / DAY) * DAY - DAY;
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

const AGENTS = [
  { browser: 'Chrome', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
  { browser: 'Firefox', ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' },
  { browser: 'Safari', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1' },
  { browser: 'Edge', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0' },
];
const ADDRESSES = [
  { country: 'US', ip: '8.8.8.8' },
  { country: 'GB', ip: '81.2.69.142' },
  { country: 'FR', ip: '212.27.48.10' },
  { country: 'JP', ip: '133.242.0.1' },
  { country: 'NL', ip: '193.0.6.139' },
];
const SOURCES = ['newsletter', 'google', 'hn', null] as const;

interface Visit {
  time: number;
  type: 'page' | 'track';
  visitor: number;
  browser: string;
  country: string;
  utmSource: string | null;
  message: Record<string, unknown>;
}

function traffic(seed: number, count: number): Visit[] {
  const r = seededRandom(seed);
  const visitors = Array.from({ length: 60 }, () => ({ agent: r.pick(AGENTS), address: r.pick(ADDRESSES) }));
  return Array.from({ length: count }, (_, i) => {
    const visitor = r.below(visitors.length);
    const { agent, address } = visitors[visitor]!;
    const utmSource = r.pick(SOURCES);
    const time = FIRST + r.below(DAY);
    const type = r() < 0.7 ? 'page' : 'track';
    // Half the campaigns come as analytics.js sends them, half only in the landing page's URL.
    const viaContext = r() < 0.5;
    const url = `https://shop.example/p/${i % 7}${utmSource && !viaContext ? `?utm_source=${utmSource}&utm_medium=x` : ''}`;
    const context = { ip: address.ip, userAgent: agent.ua, page: { url, path: `/p/${i % 7}` }, ...(utmSource && viaContext ? { campaign: { source: utmSource } } : {}) };
    const message = { type, ...(type === 'track' ? { event: 'Added To Cart' } : {}), messageId: `gt-${seed}-${i}`, anonymousId: `visitor-${visitor}`, timestamp: new Date(time).toISOString(), context };
    return { time, type, visitor, browser: agent.browser, country: address.country, utmSource, message };
  });
}

function tally(visits: readonly Visit[], key: (v: Visit) => string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of visits) {
    const k = key(v);
    if (k !== null) out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** A result's breakdown summed over its points (counts add), as value → count. */
function breakdownTotals(result: MetricResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const point of result.series) for (const [value, n] of Object.entries(point.breakdown ?? {})) if (n) out[value] = (out[value] ?? 0) + n;
  return out;
}

const visits = traffic(7, 600);
const truth = {
  browser: tally(visits, (v) => v.browser),
  country: tally(visits, (v) => v.country),
  utmSource: tally(visits, (v) => v.utmSource),
  gbPageviews: visits.filter((v) => v.type === 'page' && v.country === 'GB').length,
  firefoxUsers: new Set(visits.filter((v) => v.browser === 'Firefox').map((v) => v.visitor)).size,
};

let t: TestApp;
let tenant: string;
let readKey: string;
let views: BatchViewStore;

beforeAll(async () => {
  t = await startTestApp({ start: 'real', env: { ANALYTICS_BATCH_IN_PROCESS: 'false', ARCHIVE_FLUSH_MS: '200' } });
  tenant = `dims-${Math.random().toString(36).slice(2, 8)}`;
  const writeKey = await t.tenantWithKey({ id: tenant });
  readKey = await t.tenantWithKey({ id: tenant }, 'read');
  for (let i = 0; i < visits.length; i += 200) {
    const res = await t.app.server.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic(writeKey) }, payload: { batch: visits.slice(i, i + 200).map((v) => v.message) } });
    expect(res.json()).toMatchObject({ accepted: Math.min(200, visits.length - i), rejected: [] });
  }
  // The archiver's raw objects are the batch's input: wait until they hold every event.
  await until('the archiver to write every event', async () => {
    let lines = 0;
    for (const key of await t.app.objectStore.list(`raw/tenant=${tenant}/`)) lines += new TextDecoder().decode((await t.app.objectStore.get(key))!).trim().split('\n').length;
    return lines >= visits.length;
  }, 30_000);
  await runBatch({ lake: t.app.objectStore, tenants: [tenant], now: NOW, from: isoDay(FIRST), to: isoDay(FIRST), graceMs: 60_000 });
  views = createBatchViewStore({ lake: t.app.objectStore });
}, 90_000);

afterAll(async () => {
  await views?.close();
  await t?.cleanup();
});

describe('dimension breakdowns and filters against the ground truth', () => {
  const from = new Date(FIRST).toISOString();
  const to = new Date(FIRST + DAY).toISOString();
  const speed = async (params: string): Promise<MetricResult> => {
    const res = await t.app.server.inject({ method: 'GET', url: `/v1/query?granularity=hour&from=${from}&to=${to}&limit=100&${params}`, headers: { authorization: `Bearer ${readKey}` } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as MetricResult;
  };
  const batch = async (metric: string, extra: Partial<MetricQuery>): Promise<MetricResult> => {
    const serving = createServingLayer({ speed: createMemoryAggregateStore(), batch: batchViewsFromCoverage(views), now: () => NOW });
    const outcome = await serving.query({ tenantId: tenant, metric: METRICS.find((m) => m.name === metric)!, from: FIRST, to: FIRST + DAY, granularity: 'hour', timeZone: 'UTC', limit: 100, ...extra });
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.value.layers.map((l) => l.layer)).toEqual(['batch']);
    return outcome.value;
  };

  it('has every event in the speed layer', async () => {
    await until('the speed layer to count every event', async () => (await speed('metric=events')).total.value === visits.length, 30_000);
  });

  it.each(['browser', 'country', 'utmSource'] as const)('breaks events down by %s exactly, in the speed layer and in the batch', async (dimension) => {
    expect(breakdownTotals(await speed(`metric=events&breakdown=${dimension}`))).toEqual(truth[dimension]);
    expect(breakdownTotals(await batch('events', { breakdown: dimension }))).toEqual(truth[dimension]);
  });

  it('filters page views to one country, and unique users to one browser, in both layers', async () => {
    expect(truth.gbPageviews).toBeGreaterThan(20);
    expect((await speed('metric=pageviews&filter=country:GB')).total.value).toBe(truth.gbPageviews);
    expect((await batch('pageviews', { filter: { dimension: 'country', value: 'GB' } })).total.value).toBe(truth.gbPageviews);
    expect((await speed('metric=unique_users&filter=browser:Firefox')).total.value).toBe(truth.firefoxUsers);
    expect((await batch('unique_users', { filter: { dimension: 'browser', value: 'Firefox' } })).total.value).toBe(truth.firefoxUsers);
    // A value nobody had is a real zero, not an error.
    expect((await speed('metric=pageviews&filter=country:ZZ')).total.value).toBe(0);
  });

  it('names the problem when a filter cannot be answered', async () => {
    const bad = async (params: string) => {
      const res = await t.app.server.inject({ method: 'GET', url: `/v1/query?${params}`, headers: { authorization: `Bearer ${readKey}` } });
      expect(res.statusCode).toBe(400);
      return (res.json() as { message: string }).message;
    };
    expect(await bad('metric=pageviews&filter=planet:Mars')).toMatch(/^filter: pageviews can be filtered by .*country/);
    expect(await bad('metric=pageviews&filter=country')).toMatch(/filter.*dimension:value/);
  });

  it('stores no IP address anywhere: not in the log, not in the raw store', async () => {
    const logged = JSON.stringify(t.log.records().map((r) => r.value));
    const raw = await Promise.all((await t.app.objectStore.list(`raw/tenant=${tenant}/`)).map(async (key) => new TextDecoder().decode((await t.app.objectStore.get(key))!)));
    for (const { ip } of ADDRESSES) {
      expect(logged).not.toContain(ip);
      expect(raw.join('\n')).not.toContain(ip);
    }
    expect(t.log.records().filter((r) => r.value.tenantId === tenant)).toHaveLength(visits.length);
  });
});

describe('GET /v1/dimensions', () => {
  it('lists every ingest dimension once, and the metrics that break down by them', async () => {
    const res = await t.app.server.inject({ method: 'GET', url: '/v1/dimensions' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { dimensions: Array<{ name: string; label: string }>; metrics: Array<{ name: string; breakdowns: string[] }> };
    const names = body.dimensions.map((d) => d.name);
    expect(names).toEqual(['browser', 'os', 'device', 'screen', 'country', 'region', 'utmSource', 'utmMedium', 'utmCampaign', 'referrer']);
    expect(body.metrics.find((m) => m.name === 'pageviews')?.breakdowns).toEqual(expect.arrayContaining(names));
  });
});
