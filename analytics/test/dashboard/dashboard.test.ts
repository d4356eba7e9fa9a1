import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../speed/until.ts';
import { chromiumMissing, launchChromium } from '@shop/platform/testing';
import { DAY_MS, startDashboardApp, TENANT, timeBeforeB, type DashboardApp } from './dashboard-app.fixture.ts';
import { shiftClock } from '../support/shifted-clock.ts';
import { expectAccessible } from '@shop/web/testing';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const SHOTS = join(import.meta.dirname, '../../../docs/screenshots/analytics-dashboard');

const missing = chromiumMissing('the dashboard browser test');
// The page's day range, B's local hour and the live events interact with the time of day:
// TEST_CLOCK_AT=2026-12-08T00:10:00Z runs the suite (app and page) as if it were then.
const clock = shiftClock(process.env.TEST_CLOCK_AT);
/** Longer than this file takes, so times chosen at its start hold to its end. */
const RUN_MS = 15 * 60_000;
const QUARTER_MS = 15 * 60_000;
const SCREENSHOT = '/tmp/dashboard.png';

/** Waits until the element's text is `expected` (the page updates asynchronously); a hang guard, not a time bound. */
async function waitText(page: Page, selector: string, expected: string | RegExp, timeoutMs = 20_000) {
  const matches = (text: string) => (typeof expected === 'string' ? text === expected : expected.test(text));
  let seen = '(no element)';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const locator = page.locator(selector).first();
    if ((await locator.count()) > 0) {
      seen = ((await locator.textContent()) ?? '').trim();
      if (matches(seen)) return;
    }
    if (Date.now() > deadline) throw new Error(`${selector}: expected ${String(expected)}, saw ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A table body's rows as arrays of cell texts. */
function rows(page: Page, tbody: string): Promise<string[][]> {
  return page.$$eval(`${tbody} tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? '')));
}

function page(event: string, userId: string, path: string, referrer: string, extra: Record<string, unknown> = {}) {
  return { type: 'page', messageId: event, userId, properties: { path, referrer }, context: { page: { path, referrer } }, ...extra };
}

describe.skipIf(missing !== null)(`the live dashboard in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let d: DashboardApp;
  let browser: Browser;
  const newContext = async (options: BrowserContextOptions) => {
    const context = await browser.newContext(options);
    if (clock.offsetMs) await context.addInitScript({ content: clock.browserScript });
    return context;
  };

  beforeAll(async () => {
    d = await startDashboardApp();
    const beforeB = new Date(timeBeforeB(d.watermark, Date.now(), RUN_MS)).toISOString();
    // Known data: two events before B (yesterday, UTC), which the batch will hold, and four now.
    await d.send([
      page('m1', 'u1', '/pricing', 'https://google.com/', { timestamp: beforeB, context: { page: { path: '/pricing', referrer: 'https://google.com/' }, campaign: { source: 'newsletter' } } }),
      { type: 'track', messageId: 'm2', userId: 'u1', event: 'Order Completed', properties: { revenue: 19.99 }, timestamp: beforeB },
      page('m3', 'u2', '/pricing', 'https://google.com/', { context: { page: { path: '/pricing', referrer: 'https://google.com/' }, campaign: { source: 'newsletter' } } }),
      page('m4', 'u3', '/docs', 'https://news.ycombinator.com/'),
      { type: 'track', messageId: 'm5', userId: 'u2', event: 'Order Completed', properties: { revenue: '40.01' } },
      { type: 'track', messageId: 'm6', userId: 'u3', event: 'Signed Up' },
    ]);
    await until('the speed layer to hold the 6 events', async () => (await d.query({ metric: 'events', granularity: 'hour' })).body.total?.value === 6);
    await d.runBatchToToday();
    await d.reconcileNow();
    // One drifted quarter hour, as reconciliation would record a speed-layer double count: the
    // last before B, or, late in the UTC day when that has left the page's 24 hours, the first
    // quarter that stays in them all run long.
    const driftAt = Math.max(d.watermark - QUARTER_MS, Math.ceil((Date.now() + RUN_MS - DAY_MS) / QUARTER_MS) * QUARTER_MS);
    await d.drift.save([
      { tenantId: TENANT, metric: 'orders', kind: 'count', bucket: driftAt, speed: 3, batch: 2, drift: 1, relativeDrift: 0.5, tolerance: 0, flagged: true, checkedAt: Date.now() },
    ]);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await d?.close();
    clock.restore();
  });

  it('serves the page and its files with a self-only CSP, nosniff and no inline script', async () => {
    const res = await fetch(`${d.baseUrl}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|\son\w+=/);
    const js = await fetch(`${d.baseUrl}/dashboard/assets/main.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${d.baseUrl}/dashboard/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${d.baseUrl}/dashboard/assets/..%2Fdashboard-routes.ts`)).status).toBe(400);
  });

  it('shows the known totals, the chart with its layers and B, the tables and freshness, and takes the key out of the URL', async () => {
    const context = await newContext({ viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    tab.on('pageerror', (e) => problems.push(e.message));
    await tab.goto(`${d.baseUrl}/dashboard#key=${d.readKey}`);

    await waitText(tab, '#value-events', '6');
    // The key leaves the URL; the view (range, filter, comparison) is what stays in it.
    expect(tab.url()).toBe(`${d.baseUrl}/dashboard?range=day`);
    expect(tab.url()).not.toContain(d.readKey);
    expect(await tab.evaluate('sessionStorage.getItem("analytics.readKey")')).toBe(d.readKey);
    await waitText(tab, '#value-pageviews', '3');
    await waitText(tab, '#value-unique_users', '3');
    await waitText(tab, '#value-revenue', '60.00');
    await waitText(tab, '#zone', 'Times in Asia/Kolkata');

    // One bar per local hour of the API's answer, coloured by the layer that served it: before B
    // the batch (it covers yesterday UTC), after B the speed layer, the hour holding B both.
    const api = (await d.query({ metric: 'events', granularity: 'hour' })).body;
    const bars = await tab.$$eval('#chart rect.bar', (rects) =>
      rects.map((r) => ({ cls: r.getAttribute('class'), value: Number(r.dataset.value), x: Number(r.getAttribute('x')), width: Number(r.getAttribute('width')) })),
    );
    expect(bars.map((b) => b.value)).toEqual(api.series.map((p) => p.value));
    expect(bars.filter((b) => b.value > 0).length).toBeGreaterThanOrEqual(2);
    const expected = api.series.map((p) => {
      const [start, end] = [Date.parse(p.start), Date.parse(p.end)];
      if (end <= d.watermark && start >= d.watermark - DAY_MS) return 'bar batch';
      return start >= d.watermark ? 'bar speed' : 'bar mixed';
    });
    expect(bars.map((b) => b.cls)).toEqual(expected);
    const boundary = Number(await tab.getAttribute('#chart line.boundary', 'x1'));
    // The bar holding B (another may be mixed too: the range's first hour can straddle B - 24 h).
    const holdingB = api.series.findIndex((p) => Date.parse(p.start) < d.watermark && d.watermark < Date.parse(p.end));
    const mixed = bars[holdingB]!;
    expect(mixed.cls).toBe('bar mixed');
    expect(boundary).toBeGreaterThan(mixed.x);
    expect(boundary).toBeLessThan(mixed.x + mixed.width);
    await waitText(tab, '#boundary-note', /^B = /);

    expect(await rows(tab, '#top-pages')).toEqual([
      ['/pricing', '2'],
      ['/docs', '1'],
    ]);
    expect(await rows(tab, '#top-referrers')).toEqual([
      ['https://google.com/', '2'],
      ['https://news.ycombinator.com/', '1'],
    ]);
    expect(await rows(tab, '#breakdown-rows')).toEqual([['newsletter', '2', '66.7 %']]);

    await waitText(tab, '#fresh-event', /^\d+ (s|min) ago/);
    await waitText(tab, '#fresh-batch', /^Up to B = /);
    await waitText(tab, '#live', /^Live/);

    const drift = (await (await fetch(`${d.baseUrl}/v1/reconciliation`, { headers: { authorization: `Bearer ${d.readKey}` } })).json()) as {
      records: Array<{ metric: string; flagged: boolean }>;
    };
    const driftRows = await rows(tab, '#drift-rows');
    expect(driftRows[0]?.slice(0, 4)).toEqual(['orders', String(drift.records.filter((r) => r.metric === 'orders').length), '1', '+1']);
    // Reconciled quarters before B are in the page's 24 hours except late in the UTC day.
    const eventRecords = drift.records.filter((r) => r.metric === 'events').length;
    expect(driftRows.find((r) => r[0] === 'events')?.slice(1, 4)).toEqual(eventRecords ? [String(eventRecords), '0', '0'] : undefined);
    expect((await rows(tab, '#drift-flagged')).map((r) => [r[0], ...r.slice(2)])).toEqual([['orders', '3', '2', '1', '0']]);

    await tab.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);

    // Live: a new page view reaches the open page through /v1/stream, without a reload.
    await tab.evaluate('window.sameDocument = true');
    await d.send([page('m7', 'u4', '/pricing', 'https://google.com/')]);
    await waitText(tab, '#value-events', '7');
    await waitText(tab, '#value-pageviews', '4');
    await waitText(tab, '#value-unique_users', '4');
    expect(await tab.evaluate('window.sameDocument')).toBe(true);
    expect((await rows(tab, '#top-pages'))[0]).toEqual(['/pricing', '3']);

    // Ranges from the keyboard: the radio group moves with the arrow keys.
    await tab.focus('#range-day');
    await tab.keyboard.press('ArrowLeft');
    expect(await tab.isChecked('#range-hour')).toBe(true);
    const hour = (await d.query({ metric: 'events', granularity: 'minute' })).body;
    await until('the minute chart', async () => (await tab.locator('#chart rect.bar').count()) === hour.series.length);
    // Compared with the API at the same moment: the old event may slide out of the last hour meanwhile.
    await until('the last hour total to match the API', async () => {
      const now = (await d.query({ metric: 'events', granularity: 'minute' })).body.total.value;
      return (await tab.textContent('#value-events'))?.trim() === String(now);
    });
    expect(await tab.$$eval('#chart rect.bar', (r) => r.every((b) => b.getAttribute('class') === 'bar speed'))).toBe(true);
    expect(problems).toEqual([]);

    // 30 days: the speed layer here keeps 3 days of quarter hours and the batch covers one day,
    // so the API answers 503 naming the periods; the page says which.
    const month = await d.query({ metric: 'events', granularity: 'day', from: new Date(Date.now() - 29 * DAY_MS).toISOString() });
    expect(month.status).toBe(503);
    await tab.click('label[for="range-month"]');
    await waitText(tab, '#problem', /^No layer holds /);
    expect(await tab.textContent('#problem')).toContain(month.body.details!.missing[0]!.from.slice(0, 10));
    await waitText(tab, '#value-events', '—');
    await waitText(tab, '#live', 'Live updates paused for this range');
    await context.close();
  }, 90_000);

  it('filters every panel by a clicked value, compares periods, picks dates and exports CSV, all kept in the URL', async () => {
    await mkdir(SHOTS, { recursive: true });
    const context = await newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (e) => problems.push(e.message));
    await tab.goto(`${d.baseUrl}/dashboard#key=${d.readKey}`);
    const pageviews = String((await d.query({ metric: 'pageviews', granularity: 'hour' })).body.total.value);
    await waitText(tab, '#value-pageviews', pageviews);
    // Visits: u1's page view and order (before B), u2 and u3 (page, then an order or a sign-up), u4.
    await waitText(tab, '#value-visits', String((await d.query({ metric: 'visits', granularity: 'hour' })).body.total.value));
    await waitText(tab, '#realtime-value', /^\d+$/);
    await expectAccessible(tab, 'dashboard');

    // Click a campaign source: every panel that can be cut by it is filtered, the rest say so.
    await tab.getByRole('button', { name: 'Filter every panel by Campaign source newsletter' }).click();
    await waitText(tab, '#filter-chips', 'Campaign source is “newsletter” ×');
    await waitText(tab, '#value-pageviews', '2');
    await waitText(tab, '#value-events', String((await d.query({ metric: 'events', granularity: 'hour', filter: 'context.campaign.source:newsletter' })).body.total.value));
    // Top pages has no stored cells by source: its panel is counted from the raw events, so every panel is cut.
    await waitText(tab, '#filter-note', /counted from the raw events/);
    expect(await tab.textContent('#filter-note')).not.toMatch(/Not cut/);
    expect(new URL(tab.url()).searchParams.get('filter')).toBe('context.campaign.source:newsletter');
    await tab.screenshot({ path: join(SHOTS, 'filtered.png'), fullPage: true });

    // A tab opened on that URL (with the key, which each tab keeps to itself) shows the same view.
    const again = await context.newPage();
    await again.goto(`${tab.url()}#key=${d.readKey}`);
    await waitText(again, '#value-pageviews', '2');
    expect(await again.isVisible('#filters')).toBe(true);
    await again.close();

    // A value of another breakdown adds a second filter (counted from the raw events); each is a
    // chip that removes it, and the URL carries both.
    await tab.selectOption('#breakdown-select', 'pageviews|context.page.path');
    await tab.getByRole('button', { name: 'Filter every panel by Page /pricing' }).click();
    await until('two filter chips', async () => (await tab.locator('#filter-chips li').count()) === 2);
    expect(new URL(tab.url()).searchParams.getAll('filter')).toEqual(['context.campaign.source:newsletter', 'context.page.path:/pricing']);
    const both = await d.query([['metric', 'pageviews'], ['granularity', 'hour'], ['filter', 'context.campaign.source:newsletter'], ['filter', 'context.page.path:/pricing']]);
    expect(both.body).toMatchObject({ served: 'raw events' });
    await waitText(tab, '#value-pageviews', String(both.body.total.value));
    await waitText(tab, '#filter-note', /counted from the raw events/);
    // The visit panels take both too: visits that entered from the newsletter and viewed /pricing.
    const visits = await d.query([['metric', 'visits'], ['granularity', 'hour'], ['filter', 'context.campaign.source:newsletter'], ['filter', 'context.page.path:/pricing']]);
    expect(visits.body).toMatchObject({ served: 'raw events' });
    await waitText(tab, '#value-visits', String(visits.body.total.value));
    expect(await tab.textContent('#filter-note')).not.toMatch(/Not cut/);
    expect(await tab.isVisible('#problem')).toBe(false);
    await expectAccessible(tab, 'dashboard with two filters');
    await tab.screenshot({ path: join(SHOTS, 'two-filters.png'), fullPage: true });
    await tab.getByRole('button', { name: 'Remove filter Campaign source newsletter' }).click();
    await until('one filter left in the URL', async () => new URL(tab.url()).searchParams.getAll('filter').join() === 'context.page.path:/pricing');
    await waitText(tab, '#value-pageviews', String((await d.query({ metric: 'pageviews', granularity: 'hour', filter: 'context.page.path:/pricing' })).body.total.value));
    await tab.selectOption('#breakdown-select', 'pageviews|context.campaign.source');

    // Remove the filters; compare with the period before (nothing then: "before: 0").
    await tab.click('#filter-clear');
    await waitText(tab, '#value-pageviews', pageviews);
    await tab.click('label[for="compare"]');
    await waitText(tab, '#delta-pageviews', /^before: 0$|vs before$/);
    expect(new URL(tab.url()).searchParams.get('compare')).toBe('previous');
    const compared = (await d.query({ metric: 'pageviews', granularity: 'hour', compare: 'previous' })).body;
    expect(compared.comparison).toBeDefined();

    // Dates: today alone, by the picker.
    const today = new Date().toISOString().slice(0, 10);
    await tab.click('label[for="range-custom"]');
    await tab.fill('#range-from', today);
    await tab.fill('#range-to', today);
    await tab.click('#range-apply');
    await until('the URL to hold the dates', async () => new URL(tab.url()).searchParams.get('from') === today);
    expect(new URL(tab.url()).searchParams.get('range')).toBe('custom');
    await waitText(tab, '#value-events', /^\d+$/);
    await expectAccessible(tab, 'dashboard with dates and comparison');
    await tab.screenshot({ path: join(SHOTS, 'dates-compared.png'), fullPage: true });

    // CSV of the breakdown panel, by a click: the file holds what the table shows.
    await tab.click('label[for="range-day"]');
    await waitText(tab, '#value-pageviews', pageviews);
    const [download] = await Promise.all([tab.waitForEvent('download'), tab.click('[data-csv="breakdown"]')]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(download.suggestedFilename()).toMatch(/^pageviews-.*\.csv$/);
    expect(csv.split('\r\n')[0]).toMatch(/^start,end,pageviews,context\.campaign\.source=newsletter/);
    expect(csv).toContain(`\r\ntotal,,${pageviews},`);
    const [chartCsv] = await Promise.all([tab.waitForEvent('download'), tab.click('[data-csv="chart"]')]);
    expect(await readFile((await chartCsv.path())!, 'utf8')).toMatch(/^start,end,events,compared_start,compared_events\r\n/);
    expect(problems).toEqual([]);
    await context.close();
  }, 90_000);

  it('rejects a bad key with a message, keeps it out of the URL, and retries through a network outage', async () => {
    const context = await newContext({ viewport: { width: 390, height: 844 } });
    const tab = await context.newPage();
    await tab.goto(`${d.baseUrl}/dashboard#key=rk_${'x'.repeat(40)}`);
    await waitText(tab, '#problem', /^This read key was not accepted/);
    expect(tab.url()).not.toContain('rk_');
    expect(await tab.evaluate('sessionStorage.getItem("analytics.readKey")')).toBeNull();
    expect(await tab.isVisible('#key-input')).toBe(true);
    expect(await tab.evaluate('document.activeElement.id')).toBe('key-input');

    // A write key is refused before any request.
    await tab.fill('#key-input', d.writeKey);
    await tab.keyboard.press('Enter');
    await waitText(tab, '#problem', /^That is a write key/);

    // The network goes down: the page says so and retries until the API answers again.
    await tab.route('**/v1/**', (route) => route.abort('internetdisconnected'));
    await tab.fill('#key-input', d.readKey);
    await tab.keyboard.press('Enter');
    await waitText(tab, '#problem', /^Cannot reach the analytics API\. Retrying in \d+ s/);
    await tab.unroute('**/v1/**');
    await waitText(tab, '#value-events', '7');
    await until('the problem to clear', () => tab.isHidden('#problem'));
    await waitText(tab, '#live', /^Live/);
    await context.close();
  }, 60_000);
  it('opens a shared link read-only with its expiry shown, and says so when the link is revoked', async () => {
    const expiresAt = new Date(Date.now() + 7 * DAY_MS);
    const created = await fetch(`${d.baseUrl}/v1/share-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${d.readKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ expiresAt: expiresAt.toISOString(), label: 'shared view test' }),
    });
    expect(created.status).toBe(201);
    const { plainKey, path, key } = (await created.json()) as { plainKey: string; path: string; key: { id: string } };

    const context = await newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (e) => problems.push(e.message));
    await tab.goto(`${d.baseUrl}${path}`);
    const events = String((await d.query({ metric: 'events', granularity: 'hour' })).body.total.value);
    await waitText(tab, '#value-events', events);
    await waitText(tab, '#value-pageviews', /^[1-9]\d*$/);
    await waitText(tab, '#shared-note', /^Shared view, read-only, expires \d{1,2} \w{3} \d{4}, \d{2}:\d{2}$/);
    expect(await tab.locator('#shared-note').textContent()).toContain(expiresAt.toISOString().slice(11, 16));
    expect(tab.url()).not.toContain(plainKey);
    expect(await tab.isHidden('#forget-key')).toBe(true);
    expect(await tab.isHidden('#key-panel')).toBe(true);
    expect(await tab.$$eval('#chart rect.bar', (r) => r.length)).toBeGreaterThan(0);
    await waitText(tab, '#live', /^Live/);
    await expectAccessible(tab, 'shared dashboard');
    await mkdir(SHOTS, { recursive: true });
    await tab.screenshot({ path: join(SHOTS, 'shared.png'), fullPage: true });

    const revoked = await fetch(`${d.baseUrl}/v1/share-keys/${key.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${d.readKey}` } });
    expect(revoked.status).toBe(200);
    const again = await context.newPage();
    await again.goto(`${d.baseUrl}${path}`);
    await waitText(again, '#problem', /^This shared link no longer opens the dashboard: The key sk_.* was revoked/);
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
