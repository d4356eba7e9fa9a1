import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '@shop/platform/testing';
import { until } from '../speed/until.ts';
import { startTestApp, type TestApp } from './support/test-app.ts';

/**
 * Segment's browser library as a site ships it: the published UMD bundle of
 * `@segment/analytics-next`, unchanged, loaded by a page on another origin (so every request
 * is cross-origin and preflighted: it sends Authorization), in Debian's Chromium. Its settings
 * are inline (no CDN is reachable); only `apiHost` points at the collector.
 */
const missing = chromiumMissing('the Segment browser library test');
const bundle = join(dirname(createRequire(import.meta.url).resolve('@segment/analytics-next/package.json')), 'dist/umd/index.js');
// A visitor's browser: HeadlessChrome in the user agent would be counted as a bot, apart from `events`.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

interface Exchange {
  method: string;
  path: string;
  status: number;
  retryCount?: string;
  body: unknown;
}

/** A page origin apart from the collector's: `/` is an empty page, `/analytics.js` the library's bundle. */
async function startPageServer(): Promise<{ server: Server; origin: string }> {
  const code = await readFile(bundle);
  const server = createServer((req, res) => {
    if (req.url === '/analytics.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>shop</title><script src="/analytics.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('page server not listening');
  return { server, origin: `http://127.0.0.1:${address.port}` };
}

describe.skipIf(missing !== null)(`@segment/analytics-next in Chromium against the collector${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let t: TestApp;
  let collector: string;
  let pages: { server: Server; origin: string };
  let browser: Browser;
  let context: BrowserContext;
  let readKey: string;
  let writeKey: string;
  let tenant: string;

  beforeAll(async () => {
    t = await startTestApp({ start: 'real' });
    await t.app.server.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.server.address();
    if (typeof address !== 'object' || !address) throw new Error('collector not listening');
    collector = `127.0.0.1:${address.port}`;
    pages = await startPageServer();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => pages?.server.close(resolve));
    await t?.cleanup();
  });

  beforeEach(async () => {
    tenant = `site-${Math.random().toString(36).slice(2, 8)}`;
    writeKey = await t.tenantWithKey({ id: tenant });
    readKey = await t.tenantWithKey({ id: tenant }, 'read');
    await context?.close();
    context = await browser.newContext({ userAgent: USER_AGENT });
  });

  /** Loads the page, runs analytics.js with `deliveryStrategy`, makes one call of each kind; returns what went over the wire. */
  async function visit(deliveryStrategy: unknown): Promise<{ exchanges: Exchange[]; failed: string[]; errors: string[] }> {
    const page = await context.newPage();
    const exchanges: Exchange[] = [];
    const failed: string[] = [];
    const errors: string[] = [];
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (url.host !== collector) return;
      const retryCount = res.request().headers()['x-retry-count'];
      exchanges.push({ method: res.request().method(), path: url.pathname, status: res.status(), body: res.request().postDataJSON(), ...(retryCount ? { retryCount } : {}) });
    });
    page.on('requestfailed', (req) => failed.push(`${req.method()} ${req.url()}: ${req.failure()?.errorText}`));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${pages.origin}/`);
    await page.evaluate(
      async ({ writeKey, apiHost, deliveryStrategy }) => {
        const { AnalyticsBrowser } = (globalThis as unknown as { AnalyticsNext: { AnalyticsBrowser: { load: (...args: unknown[]) => Promise<[SegmentAnalytics]> } } }).AnalyticsNext;
        interface SegmentAnalytics {
          [call: string]: (...args: unknown[]) => Promise<unknown>;
        }
        const [analytics] = await AnalyticsBrowser.load(
          { writeKey, cdnSettings: { integrations: { 'Segment.io': { apiKey: writeKey } } } },
          { integrations: { 'Segment.io': { apiHost, protocol: 'http', deliveryStrategy } } },
        );
        await analytics.page!();
        await analytics.track!('Signed Up', { plan: 'pro', constructor: 'kept as data' });
        await analytics.identify!('u-1', { email: 'ada@example.com' });
        await analytics.group!('org-1', { plan: 'pro' });
        await analytics.page!('Docs', 'Install', { path: '/docs/install' });
        await analytics.screen!('Home');
        await analytics.alias!('u-2', 'u-1');
      },
      { writeKey, apiHost: `${collector}/v1`, deliveryStrategy },
    );
    return { exchanges, failed, errors };
  }

  const eventsOfTenant = () => t.log.records().filter((r) => r.value.tenantId === tenant);
  const query = async (metric: string) => {
    const res = await t.app.server.inject({ method: 'GET', url: `/v1/query?metric=${metric}&granularity=hour`, headers: { authorization: `Bearer ${readKey}` } });
    return (res.json() as { total?: { value: number } }).total?.value;
  };
  const SENT = ['alias', 'group', 'identify', 'page', 'page', 'screen', 'track'];

  /** The 7 calls are in the log and counted by /v1/query, nothing failed in the page; returns the event POSTs. */
  async function expectCounted(seen: Awaited<ReturnType<typeof visit>>): Promise<Exchange[]> {
    await until('the collector to hold the 7 events', () => eventsOfTenant().length === 7);
    await until('the speed layer to count them', async () => (await query('events')) === 7);
    expect(await query('pageviews')).toBe(2);
    expect(seen.failed).toEqual([]);
    expect(seen.errors).toEqual([]);
    return seen.exchanges.filter((e) => e.method === 'POST' && e.path !== '/v1/m');
  }

  it('delivers every call of its default mode to the short paths, through a 503 and a retry carrying X-Retry-Count, and /v1/query counts them', async () => {
    t.log.failNext(1);
    const seen = await visit(undefined);
    const posts = await expectCounted(seen);
    expect(new Set(posts.map((e) => e.path))).toEqual(new Set(['/v1/p', '/v1/t', '/v1/i', '/v1/g', '/v1/s', '/v1/a']));
    expect(posts.filter((e) => e.status === 503)).toHaveLength(1);
    // The retry adds a header, so the browser asked first; the collector allowed it and took the event.
    expect(posts.filter((e) => e.retryCount !== undefined && e.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(posts.every((e) => e.status === 200 || e.status === 503)).toBe(true);

    const events = eventsOfTenant().map((r) => r.value);
    expect(events.map((e) => e.type).sort()).toEqual(SENT);
    const track = events.find((e) => e.type === 'track');
    expect(track).toMatchObject({ event: 'Signed Up', properties: { plan: 'pro', constructor: 'kept as data' }, isBot: false });
    expect(track?.context).toMatchObject({ library: { name: 'analytics.js' }, page: { path: '/' } });
    // Stored as sent (analytics.js decides an alias's ids itself).
    const sentAlias = posts.find((e) => e.path === '/v1/a')?.body as { userId: string; previousId: string; messageId: string };
    expect(events.find((e) => e.type === 'alias')).toMatchObject({ userId: sentAlias.userId, previousId: sentAlias.previousId, messageId: sentAlias.messageId });
    expect(sentAlias.previousId).toBe('u-1');
  });

  it('delivers its batching mode in one request to /v1/b, and /v1/query counts them', async () => {
    const seen = await visit({ strategy: 'batching', config: { size: 7, timeout: 10_000 } });
    const posts = await expectCounted(seen);
    expect(posts.map((e) => [e.path, e.status])).toEqual([['/v1/b', 200]]);
    const events = eventsOfTenant().map((r) => r.value);
    expect(events.map((e) => e.type).sort()).toEqual(SENT);
    // Anonymous until identify: analytics.js sends `userId: null` with its own anonymousId.
    const firstPage = events.find((e) => e.type === 'page' && e.event === undefined);
    expect(firstPage?.userId).toBeUndefined();
    expect(firstPage?.anonymousId).toMatch(/^[\w-]{20,}$/);
    expect(events.find((e) => e.type === 'identify')).toMatchObject({ userId: 'u-1', traits: { email: 'ada@example.com' } });
  });

  it('delivers with keepalive fetches (what pages use to survive navigation)', async () => {
    const seen = await visit({ strategy: 'standard', config: { keepalive: true } });
    await until('the collector to hold the 7 events', () => eventsOfTenant().length === 7);
    expect(seen.failed).toEqual([]);
    expect(seen.exchanges.filter((e) => e.method === 'POST' && e.path !== '/v1/m').every((e) => e.status === 200)).toBe(true);
  });
});
