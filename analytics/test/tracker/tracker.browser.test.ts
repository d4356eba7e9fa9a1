import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '@shop/platform/testing';
import { expectAccessible } from '@shop/web/testing';
import type { AnalyticsEvent } from '../../src/contracts/index.ts';
import { until } from '../speed/until.ts';
import { startTestApp, type TestApp } from '../collector/support/test-app.ts';

/**
 * The one-line snippet on another site's page, in Debian's Chromium, under a strict CSP that
 * allows only the collector's origin: page views (a pushState navigation included), an outbound
 * click, a file download and a custom event reach the collector cross-origin, and /v1/query
 * shows them with the country of the address the trusted proxy header names, the browser and
 * the device.
 */
const missing = chromiumMissing('the tracking script browser test');
const SHOTS = join(import.meta.dirname, '../../../docs/screenshots/analytics-tracker');
const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
// A British address (MaxMind's own test address), as a proxy in front of the collector would report it.
const VISITOR_IP = '81.2.69.142';

function startSite(collector: string, writeKey: string): Promise<{ server: Server; origin: string }> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Corner shop</title>
<script defer src="${collector}/t.js" data-write-key="${writeKey}"></script></head>
<body><main><h1>Corner shop</h1>
<p><a id="out" href="https://partner.example/offer">Our partner's offer</a></p>
<p><a id="file" href="/files/price-list.pdf">Price list (PDF)</a></p>
</main></body></html>`;
  const server = createServer((req, res) => {
    res.writeHead(200, {
      'content-type': req.url?.endsWith('.pdf') ? 'application/pdf' : 'text/html; charset=utf-8',
      // No inline script, no eval: the snippet must work with only the collector allowed.
      'content-security-policy': `default-src 'self'; script-src 'self' ${collector}; connect-src 'self' ${collector}; img-src 'self'`,
    });
    res.end(req.url?.endsWith('.pdf') ? '%PDF-1.4' : html);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

describe.skipIf(missing !== null)(`tracking script in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let t: TestApp;
  let site: { server: Server; origin: string };
  let browser: Browser;
  let tenant: string;
  let readKey: string;

  beforeAll(async () => {
    t = await startTestApp({ start: 'real', env: { ANALYTICS_TRUSTED_PROXY_HOPS: '1', ANALYTICS_BATCH_IN_PROCESS: 'false' } });
    await t.app.server.listen({ port: 0, host: '127.0.0.1' });
    const collector = `http://127.0.0.1:${(t.app.server.server.address() as { port: number }).port}`;
    tenant = `site-${Math.random().toString(36).slice(2, 8)}`;
    const writeKey = await t.tenantWithKey({ id: tenant });
    readKey = await t.tenantWithKey({ id: tenant }, 'read');
    site = await startSite(collector, writeKey);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.server.close(resolve));
    await t?.cleanup();
  });

  const events = () => t.log.records().map((r) => r.value).filter((e: AnalyticsEvent) => e.tenantId === tenant);
  const query = async (params: string) => {
    const res = await t.app.server.inject({ method: 'GET', url: `/v1/query?granularity=hour&${params}`, headers: { authorization: `Bearer ${readKey}` } });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { total: { value: number }; series: Array<{ breakdown?: Record<string, number> }> };
  };
  const breakdown = async (metric: string, dimension: string) => {
    const out: Record<string, number> = {};
    for (const p of (await query(`metric=${metric}&breakdown=${dimension}`)).series) for (const [k, v] of Object.entries(p.breakdown ?? {})) if (v) out[k] = (out[k] ?? 0) + v;
    return out;
  };

  it('records page views, a pushState navigation, an outbound click, a download and a custom event, with country, browser and device', async () => {
    const context = await browser.newContext({ userAgent: USER_AGENT, extraHTTPHeaders: { 'x-forwarded-for': VISITOR_IP }, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    // The partner site is answered here: no request leaves the machine.
    await page.route('https://partner.example/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Partner</title>' }));
    await page.goto(`${site.origin}/`);
    await until('the first page view', () => events().some((e) => e.type === 'page'));
    await expectAccessible(page, 'a site with the snippet');
    await page.screenshot({ path: join(SHOTS, 'site-with-snippet.png') });

    await page.evaluate(() => (globalThis as unknown as { history: { pushState(state: object, title: string, url: string): void } }).history.pushState({}, '', '/products/42?colour=red'));
    await page.evaluate(() => (globalThis as unknown as { shop: { track(name: string, props: object): void } }).shop.track('Newsletter Signed Up', { plan: 'weekly' }));
    await page.click('#file');
    await page.goto(`${site.origin}/`);
    await page.click('#out');
    await page.waitForURL('https://partner.example/offer');
    await until('six events in the log', () => events().length >= 6);
    await context.close();

    const stored = events();
    expect(stored.filter((e) => e.type === 'page').map((e) => (e.context.page as { path: string }).path)).toEqual(['/', '/products/42', '/']);
    expect(stored.filter((e) => e.type === 'track').map((e) => [e.event, e.properties])).toEqual([
      ['Newsletter Signed Up', { plan: 'weekly' }],
      ['File Downloaded', { url: `${site.origin}/files/price-list.pdf` }],
      ['Outbound Link Clicked', { url: 'https://partner.example/offer' }],
    ]);
    for (const e of stored) {
      expect(e.dimensions).toMatchObject({ country: 'GB', browser: 'Chrome', os: 'Windows', device: 'desktop', screen: 'large' });
      // Cookieless by default: the collector's daily visitor id, the same for the whole visit.
      expect(e.anonymousId).toBe(stored[0]!.anonymousId);
      expect(e.anonymousId).toMatch(/^cl_/);
      expect(JSON.stringify(e)).not.toContain(VISITOR_IP);
    }
    // The SPA navigation's referrer is the previous page: same site, so Direct.
    expect(stored.filter((e) => e.type === 'page').map((e) => e.dimensions?.referrer)).toEqual(['Direct', 'Direct', 'Direct']);
    expect(errors).toEqual([]);

    await until('the speed layer to count them', async () => (await query('metric=events')).total.value === 6);
    expect((await query('metric=pageviews')).total.value).toBe(3);
    expect(await breakdown('events', 'country')).toEqual({ GB: 6 });
    expect(await breakdown('events', 'browser')).toEqual({ Chrome: 6 });
    expect(await breakdown('events', 'device')).toEqual({ desktop: 6 });
    expect((await query('metric=unique_users')).total.value).toBe(1);
  });
});
