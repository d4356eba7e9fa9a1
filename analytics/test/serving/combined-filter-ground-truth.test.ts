import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/demo/seeded-random.ts';
import type { PanelResult } from '../../src/query/answer-panel.ts';
import { until } from '../speed/until.ts';
import { basic, startTestApp, type TestApp } from '../collector/support/test-app.ts';

/**
 * Filters on several dimensions at once, end to end: made-up traffic goes through the collector
 * (which fills browser, device and country), the log and the archiver into the raw store, and
 * `/v1/query` counts it from there. Every expected figure is counted here from the generator's
 * own table (which browser and device each user agent is, which country each address is in).
 */
const DAY = 86_400_000;
const FIRST = Math.floor(Date.now() / DAY) * DAY - DAY;

const AGENTS = [
  { browser: 'Chrome', device: 'desktop', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
  { browser: 'Chrome', device: 'mobile', ua: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36' },
  { browser: 'Firefox', device: 'desktop', ua: 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' },
  { browser: 'Safari', device: 'mobile', ua: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1' },
];
const ADDRESSES = [
  { country: 'US', ip: '8.8.8.8' },
  { country: 'GB', ip: '81.2.69.142' },
  { country: 'FR', ip: '212.27.48.10' },
];

interface Sent {
  time: number;
  type: 'page' | 'track';
  visitor: number;
  browser: string;
  device: string;
  country: string;
  /** Cents, for orders. */
  revenue: number;
  message: Record<string, unknown>;
}

function traffic(seed: number, count: number): Sent[] {
  const r = seededRandom(seed);
  const visitors = Array.from({ length: 80 }, () => ({ agent: r.pick(AGENTS), address: r.pick(ADDRESSES) }));
  return Array.from({ length: count }, (_, i) => {
    const visitor = r.below(visitors.length);
    const { agent, address } = visitors[visitor]!;
    const time = FIRST + r.below(DAY);
    const order = r() < 0.2;
    const revenue = order ? 100 + r.below(9900) : 0;
    const context = { ip: address.ip, userAgent: agent.ua, page: { path: `/p/${i % 5}` } };
    const message = {
      type: order ? 'track' : 'page',
      ...(order ? { event: 'Order Completed', properties: { revenue: (revenue / 100).toFixed(2) } } : {}),
      messageId: `cf-${seed}-${i}`,
      anonymousId: `visitor-${visitor}`,
      timestamp: new Date(time).toISOString(),
      context,
    };
    return { time, type: order ? 'track' : 'page', visitor, browser: agent.browser, device: agent.device, country: address.country, revenue, message };
  });
}

function tally(sent: readonly Sent[], key: (s: Sent) => string, amount: (s: Sent) => number = () => 1): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of sent) out[key(s)] = (out[key(s)] ?? 0) + amount(s);
  return out;
}

/** A result's breakdown summed over its points (counts and sums add), zeros left out. */
function breakdownTotals(result: PanelResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const point of result.series) for (const [value, n] of Object.entries(point.breakdown ?? {})) if (n) out[value] = (out[value] ?? 0) + n;
  return out;
}

const sent = traffic(11, 900);
const gbDesktop = sent.filter((s) => s.country === 'GB' && s.device === 'desktop');
const chromeFr = sent.filter((s) => s.browser === 'Chrome' && s.country === 'FR');
const truth = {
  gbDesktopPageviewsByBrowser: tally(gbDesktop.filter((s) => s.type === 'page'), (s) => s.browser),
  gbDesktopRevenueByBrowser: tally(gbDesktop.filter((s) => s.type === 'track'), (s) => s.browser, (s) => s.revenue),
  chromeFrEventsByDevice: tally(chromeFr, (s) => s.device),
  chromeFrOrders: chromeFr.filter((s) => s.type === 'track').length,
  chromeFrUsers: new Set(chromeFr.map((s) => s.visitor)).size,
};

let t: TestApp;
let readKey: string;

beforeAll(async () => {
  t = await startTestApp({ start: 'real', env: { ANALYTICS_BATCH_IN_PROCESS: 'false', ARCHIVE_FLUSH_MS: '200' } });
  const tenant = `combo-${Math.random().toString(36).slice(2, 8)}`;
  const writeKey = await t.tenantWithKey({ id: tenant });
  readKey = await t.tenantWithKey({ id: tenant }, 'read');
  for (let i = 0; i < sent.length; i += 300) {
    const res = await t.app.server.inject({ method: 'POST', url: '/v1/batch', headers: { authorization: basic(writeKey) }, payload: { batch: sent.slice(i, i + 300).map((s) => s.message) } });
    expect(res.json()).toMatchObject({ accepted: Math.min(300, sent.length - i), rejected: [] });
  }
  await until('the archiver to write every event', async () => {
    let lines = 0;
    for (const key of await t.app.objectStore.list(`raw/tenant=${tenant}/`)) lines += new TextDecoder().decode((await t.app.objectStore.get(key))!).trim().split('\n').length;
    return lines >= sent.length;
  }, 30_000);
}, 90_000);

afterAll(async () => {
  await t?.cleanup();
});

const range = () => `granularity=hour&tz=UTC&from=${new Date(FIRST).toISOString()}&to=${new Date(FIRST + DAY).toISOString()}&limit=100`;
const get = (params: string) => t.app.server.inject({ method: 'GET', url: `/v1/query?${range()}&${params}`, headers: { authorization: `Bearer ${readKey}` } });
async function query(params: string): Promise<PanelResult> {
  const res = await get(params);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as PanelResult;
}

describe('filters combined across dimensions, against the ground truth', () => {
  it('has enough traffic in each cut to tell a wrong answer', () => {
    expect(Object.keys(truth.gbDesktopPageviewsByBrowser).sort()).toEqual(['Chrome', 'Firefox']);
    expect(Object.values(truth.chromeFrEventsByDevice).every((n) => n > 10)).toBe(true);
  });

  it('counts page views for country:GB AND device:desktop broken down by browser, from the raw events', async () => {
    const result = await query('metric=pageviews&filter=country:GB&filter=device:desktop&breakdown=browser');
    expect(result.served).toBe('raw events');
    expect(result.filters).toEqual([{ dimension: 'country', value: 'GB' }, { dimension: 'device', value: 'desktop' }]);
    expect(breakdownTotals(result)).toEqual(truth.gbDesktopPageviewsByBrowser);
    expect(result.total.value).toBe(Object.values(truth.gbDesktopPageviewsByBrowser).reduce((a, b) => a + b, 0));
    expect(result.series).toHaveLength(24);
    // Freshness as the other raw-event answers state it: the last receipt read.
    expect(result.freshness.source).toBe('raw events');
    expect(Date.parse(result.freshness.through!)).toBeGreaterThan(Date.now() - 120_000);
  });

  it('sums revenue in cents for the same two filters by browser', async () => {
    const result = await query('metric=revenue&filter=country:GB&filter=device:desktop&breakdown=browser');
    expect(breakdownTotals(result)).toEqual(truth.gbDesktopRevenueByBrowser);
  });

  it('counts events for browser:Chrome AND country:FR by device, and orders and distinct people under both filters', async () => {
    expect(breakdownTotals(await query('metric=events&filter=browser:Chrome&filter=country:FR&breakdown=device'))).toEqual(truth.chromeFrEventsByDevice);
    expect((await query('metric=orders&filter=browser:Chrome&filter=country:FR')).total.value).toBe(truth.chromeFrOrders);
    expect((await query('metric=unique_users&filter=browser:Chrome&filter=country:FR')).total.value).toBe(truth.chromeFrUsers);
  });

  it('answers one filter from the stored cells, and one filter with a breakdown by another dimension from the raw events', async () => {
    await until('the speed layer to count every event', async () => (await query('metric=events')).total.value === sent.length, 30_000);
    const cells = await query('metric=events&filter=country:FR&breakdown=country');
    expect(cells.served).toBe('cells');
    const raw = await query('metric=events&filter=country:FR&breakdown=device');
    expect(raw.served).toBe('raw events');
    expect(raw.total.value).toBe(cells.total.value);
  });

  it('names the field at fault when filters cannot be combined', async () => {
    const bad = async (params: string) => {
      const res = await get(params);
      expect(res.statusCode, res.body).toBe(400);
      return (res.json() as { message: string }).message;
    };
    expect(await bad('metric=pageviews&filter=country:GB&filter=planet:Mars')).toMatch(/^filter: pageviews can be filtered by .*not planet/);
    expect(await bad('metric=pageviews&filter=country:GB&filter=device')).toMatch(/filter.*dimension:value/);
    expect(await bad(`metric=pageviews&${['country:GB', 'device:desktop', 'browser:Chrome', 'os:iOS', 'screen:small', 'referrer:Direct'].map((f) => `filter=${f}`).join('&')}`)).toMatch(/filter.*at most 5/);
    expect(await bad('metric=pageviews&filter=country:GB&filter=country:FR')).toMatch(/^filter: country is filtered twice/);
    expect(await bad('metric=pageviews&filter=country:GB&breakdown=visit.entry_page')).toMatch(/^breakdown: pageviews can be broken down by/);
  });
});
