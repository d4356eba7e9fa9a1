import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '@shop/platform/testing';
import { expectAccessible } from '@shop/web/testing';
import { until } from '../speed/until.ts';
import { startDashboardApp, type DashboardApp } from './dashboard-app.fixture.ts';

const missing = chromiumMissing('the server-rendered dashboard test');

const text = async (tab: Page, selector: string) => ((await tab.textContent(selector)) ?? '').trim();
const rows = (tab: Page, tbody: string) => tab.$$eval(`${tbody} tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent?.trim() ?? '')));

function view(event: string, userId: string, path: string, referrer: string, source?: string) {
  return { type: 'page', messageId: event, userId, context: { page: { path, referrer }, ...(source ? { campaign: { source } } : {}) } };
}

describe.skipIf(missing !== null)(`the dashboard's first paint, server-rendered${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let d: DashboardApp;
  let browser: Browser;
  /** Every line the app logs, at debug level: the key must be in none. */
  const logged: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged.push(String(chunk));
      done();
    },
  });

  beforeAll(async () => {
    d = await startDashboardApp({ logger: pino({ level: 'debug' }, sink) });
    await d.send([
      view('r1', 'u1', '/pricing', 'https://google.com/', 'newsletter'),
      view('r2', 'u2', '/pricing', 'https://google.com/', 'newsletter'),
      view('r3', 'u3', '/docs', 'https://news.ycombinator.com/'),
      { type: 'track', messageId: 'r4', userId: 'u2', event: 'Order Completed', properties: { revenue: 12.5 } },
    ]);
    await until('the speed layer to hold the 4 events', async () => (await d.query({ metric: 'events', granularity: 'hour' })).body.total?.value === 4);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await d?.close();
  });

  it('reads the numbers with JavaScript off: the key form posts the key, the page comes with its panels filled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    await tab.goto(`${d.baseUrl}/dashboard?range=day&compare=previous`);
    expect(await tab.isVisible('#key-panel')).toBe(true);
    expect(await tab.isVisible('#dashboard')).toBe(false);

    await tab.fill('#key-input', d.readKey);
    await Promise.all([tab.waitForURL(/\/dashboard\?/), tab.click('#key-form button[type="submit"]')]);
    // Back to the same view; the key is in no URL, only in the cookie scoped to the page.
    expect(tab.url()).toBe(`${d.baseUrl}/dashboard?range=day&compare=previous`);
    const [cookie] = await context.cookies(d.baseUrl + '/dashboard');
    expect(cookie).toMatchObject({ name: 'analytics_dashboard_key', value: d.readKey, path: '/dashboard', sameSite: 'Strict', expires: -1 });

    const api = async (metric: string, extra: Record<string, string> = {}) => (await d.query({ metric, granularity: 'hour', compare: 'previous', ...extra })).body;
    expect(await tab.isVisible('#key-panel')).toBe(false);
    expect(await text(tab, '#value-events')).toBe(String((await api('events')).total.value));
    expect(await text(tab, '#value-events')).toBe('4');
    expect(await text(tab, '#value-pageviews')).toBe('3');
    expect(await text(tab, '#value-unique_users')).toBe('3');
    expect(await text(tab, '#value-revenue')).toBe('12.50');
    expect((await api('pageviews')).comparison?.total.value).toBe(0);
    expect(await text(tab, '#delta-pageviews')).toBe('before: 0');
    expect(await text(tab, '#zone')).toBe('Times in Asia/Kolkata');
    expect(await text(tab, '#fresh-event')).toMatch(/^\d+ (s|min) ago/);
    expect(await rows(tab, '#top-pages')).toEqual([
      ['/pricing', '2'],
      ['/docs', '1'],
    ]);
    expect(await rows(tab, '#top-referrers')).toEqual([
      ['https://google.com/', '2'],
      ['https://news.ycombinator.com/', '1'],
    ]);
    expect(await rows(tab, '#breakdown-rows')).toEqual([['newsletter', '2', '66.7 %']]);
    const chart = (await api('events')).series;
    expect((await rows(tab, '#chart-rows')).map((r) => r[1])).toEqual(chart.map((p) => String(p.value)));
    expect(await tab.isChecked('#compare')).toBe(true);
    expect(await tab.isChecked('#range-day')).toBe(true);
    // The page's HTML names no key (the cookie is the only place the browser keeps it).
    expect(await tab.content()).not.toContain(d.readKey);
    // axe runs as a script, which this context may not: the same painted page in one that runs
    // scripts but not the page's own (its modules are refused), so axe sees what a reader without them gets.
    const checked = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await checked.addCookies([{ name: cookie!.name, value: cookie!.value, domain: '127.0.0.1', path: '/dashboard', sameSite: 'Strict' }]);
    await checked.route('**/dashboard/assets/*.js', (route) => route.abort());
    const painted = await checked.newPage();
    await painted.goto(tab.url());
    expect(await text(painted, '#value-events')).toBe('4');
    await expectAccessible(painted, 'the server-rendered dashboard');
    await checked.close();

    // A breakdown value is a link to the filtered view, painted by the server too.
    await Promise.all([tab.waitForURL(/filter=/), tab.click('#breakdown-rows a')]);
    expect(new URL(tab.url()).searchParams.getAll('filter')).toEqual(['context.campaign.source:newsletter']);
    expect(await text(tab, '#value-pageviews')).toBe(String((await api('pageviews', { filter: 'context.campaign.source:newsletter' })).total.value));
    expect(await text(tab, '#value-pageviews')).toBe('2');
    expect(await text(tab, '#filter-chips')).toContain('newsletter');

    // Forgetting the key clears the cookie: the next page asks for one.
    await Promise.all([tab.waitForURL(/\/dashboard/), tab.click('#forget-key')]);
    expect(await context.cookies(d.baseUrl + '/dashboard')).toEqual([]);
    expect(await tab.isVisible('#key-panel')).toBe(true);
    await context.close();
  }, 120_000);

  it('asks again for a refused key and clears its cookie; refuses a key form posted from another site', async () => {
    const refused = await fetch(`${d.baseUrl}/dashboard`, { headers: { cookie: 'analytics_dashboard_key=rk_revokedorunknown' } });
    expect(refused.status).toBe(200);
    expect(refused.headers.get('set-cookie')).toMatch(/^analytics_dashboard_key=;.*Max-Age=0/);
    const page = await refused.text();
    expect(page).toContain('This read key was not accepted');
    expect(page).not.toContain('rk_revokedorunknown');

    const form = (headers: Record<string, string>) =>
      fetch(`${d.baseUrl}/dashboard/key`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ key: d.readKey, view: '?range=hour' }),
      });
    const crossSite = await form({ origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    const own = await form({ 'sec-fetch-site': 'same-origin' });
    expect(own.status).toBe(303);
    expect(own.headers.get('location')).toBe('/dashboard?range=hour');
    expect(own.headers.get('location')).not.toContain(d.readKey);
    const wrong = await fetch(`${d.baseUrl}/dashboard/key`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'key=wk_abc' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('That is a write key');
  }, 30_000);

  it('logs the painted pages and their questions to the API, and the key in none of those lines', () => {
    expect(logged.some((line) => line.includes('"url":"/dashboard?range=day&compare=previous"'))).toBe(true);
    expect(logged.some((line) => line.includes('"url":"/v1/query?'))).toBe(true);
    expect(logged.filter((line) => line.includes(d.readKey))).toEqual([]);
  });
});
