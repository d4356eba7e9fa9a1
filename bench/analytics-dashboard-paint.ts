/**
 * The dashboard's time to numbers in Chromium: how long after navigation the headline numbers are
 * on screen (the later of the first contentful paint and `#value-events` holding a number), for
 *  - a first visit, key in the fragment: the page's script asks the API (the only way before
 *    the server painted anything);
 *  - a return visit with the key cookie: the numbers come in the HTML, the script takes over;
 * what one painted (return) visit costs the API: the requests the page makes in its first
 * seconds (from navigation until its live stream is open, then SETTLE_MS more), the API
 * requests the app answered meanwhile (the server's in-process questions included) and this
 * process's CPU meanwhile (both apps are in it, Chromium apart);
 * and the server's cost of the page, `GET /dashboard` as a plain shell and painted (req/s, latency).
 * The checkout of BENCH_BEFORE_ROOT must paint from the key cookie too (ADR-0096 on).
 *
 *   npm run bench:dashboard-paint
 *   BENCH_BEFORE_ROOT=/tmp/main-copy npm run bench:dashboard-paint   # also runs that checkout's app, alternating
 *
 * BENCH_RUNS (default 15) page loads per scenario, BENCH_SECONDS (default 5) per HTTP scenario,
 * CONCURRENCY (default 4). Loopback only; the app is in this process, Chromium apart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { launchChromium, percentile } from '@shop/platform/testing';
import { benchAnalyticsEnv } from './lib/analytics-app.ts';
import { printResults, runLoad, type LoadResult } from './lib/load.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);
/** How long a painted load is watched after its stream is open: the "first seconds" of the page. */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3000);
const TENANT = 'paint';

interface Served {
  label: string;
  base: string;
  readKey: string;
  /** API requests (`/v1/…`) the app has answered so far, from its request log: the page's and the in-process ones. */
  answered(): number;
  close(): Promise<void>;
}

/** The analytics app of `root` (this checkout or another) on a free loopback port, with a tenant and a day of traffic. */
async function serve(label: string, root: string): Promise<Served> {
  const { createAnalyticsApp } = (await import(join(root, 'analytics/src/app.ts'))) as typeof import('../analytics/src/app.ts');
  const { loadAnalyticsConfig } = (await import(join(root, 'analytics/src/config.ts'))) as typeof import('../analytics/src/config.ts');
  const dir = await mkdtemp(join(tmpdir(), 'bench-dashboard-paint-'));
  const config = loadAnalyticsConfig(benchAnalyticsEnv(dir));
  // One log line per answered request (`"msg":"request"`): counted, not kept.
  let answered = 0;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.includes('"msg":"request"') && line.includes('"url":"/v1/')) answered++;
      done();
    },
  });
  const app = await createAnalyticsApp(config, pino({ level: 'info' }, sink));
  await app.server.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
  await app.tenants.createTenant({ id: TENANT, name: 'Paint', timeZone: 'Europe/Paris' });
  const write = await app.tenants.createKey(TENANT, 'write');
  const read = await app.tenants.createKey(TENANT, 'read');
  if (!write.ok || !read.ok) throw new Error('bench setup failed');
  // 2,000 events over the last 20 hours: pages, referrers, campaigns and orders, so every panel has rows.
  const now = Date.now();
  for (let b = 0; b < 20; b++) {
    const batch = Array.from({ length: 100 }, (_, i) => {
      const n = b * 100 + i;
      const at = new Date(now - (n / 2000) * 20 * 3_600_000).toISOString();
      const path = `/p/${n % 40}`;
      return n % 10 === 0
        ? { type: 'track', messageId: `o${n}`, userId: `u${n % 300}`, event: 'Order Completed', properties: { revenue: (n % 50) + 0.5 }, timestamp: at }
        : { type: 'page', messageId: `v${n}`, userId: `u${n % 300}`, timestamp: at, context: { page: { path, referrer: `https://r${n % 7}.example/` }, campaign: { source: `s${n % 5}` } } };
    });
    const res = await fetch(`${base}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${write.value.plainKey}:`).toString('base64')}` },
      body: JSON.stringify({ batch }),
    });
    if (res.status !== 200) throw new Error(`collector answered ${res.status}`);
  }
  const readKey = read.value.plainKey;
  for (const deadline = Date.now() + 60_000; ; ) {
    const q = await fetch(`${base}/v1/query?metric=events&granularity=hour`, { headers: { authorization: `Bearer ${readKey}` } });
    if (((await q.json()) as { total?: { value: number } }).total?.value === 2000) break;
    if (Date.now() > deadline) throw new Error('the speed layer did not count the 2,000 events');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    label,
    base,
    readKey,
    answered: () => answered,
    close: async () => {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Records, in the page, when `#value-events` first holds a number (parser or script alike). */
const WATCH_NUMBERS = `
  window.__numbersAt = null;
  const seen = () => /^\\d/.test(document.getElementById('value-events')?.textContent?.trim() ?? '');
  new MutationObserver(() => { if (window.__numbersAt === null && seen()) window.__numbersAt = performance.now(); })
    .observe(document, { childList: true, subtree: true, characterData: true });
`;

/** Milliseconds from navigation start to the numbers on screen: max(first contentful paint, numbers in the DOM). */
async function timeToNumbers(browser: Browser, url: string, options: BrowserContextOptions, cookie?: { name: string; value: string }): Promise<{ fcp: number; numbers: number }> {
  // The page's CSP forbids evaluating strings, which is how these probes reach it.
  const context = await browser.newContext({ ...options, bypassCSP: true });
  if (cookie) await context.addCookies([{ ...cookie, domain: '127.0.0.1', path: '/dashboard', sameSite: 'Strict' }]);
  await context.addInitScript({ content: WATCH_NUMBERS });
  const tab = await context.newPage();
  await tab.goto(url);
  await tab.waitForFunction('window.__numbersAt !== null', undefined, { timeout: 60_000, polling: 50 }).catch(async (error: unknown) => {
    const said = await tab.evaluate("[document.getElementById('value-events')?.textContent, document.getElementById('problem')?.textContent, typeof window.__numbersAt]");
    throw new Error(`${url}: no numbers (${JSON.stringify(said)})`, { cause: error });
  });
  await tab.waitForFunction("performance.getEntriesByName('first-contentful-paint').length > 0", undefined, { timeout: 60_000, polling: 50 });
  const [fcp, inDom] = (await tab.evaluate("[performance.getEntriesByName('first-contentful-paint')[0].startTime, window.__numbersAt]")) as [number, number];
  await context.close();
  return { fcp, numbers: Math.max(fcp, inDom) };
}

interface LoadCost {
  /** `/v1/query` questions of the panels the server paints (the realtime count's by-the-minute one apart). */
  panelQuestions: number;
  /** Every `/v1/…` request of the page. */
  pageRequests: number;
  /** `/v1/…` requests the app answered during the load, the server's in-process ones included. */
  answered: number;
  cpuMs: number;
  /** From navigation until the stream's first update says Live. */
  liveMs: number;
  htmlBytes: number;
  load1: number;
}

const loadAverage = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

/** One return visit with the key cookie (the server paints), watched until SETTLE_MS after its stream is open. */
async function paintedLoadCost(browser: Browser, a: Served, options: BrowserContextOptions): Promise<LoadCost> {
  const context = await browser.newContext({ ...options, bypassCSP: true });
  await context.addCookies([{ name: 'analytics_dashboard_key', value: a.readKey, domain: '127.0.0.1', path: '/dashboard', sameSite: 'Strict' }]);
  const asked: URL[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/v1/')) asked.push(url);
  });
  const tab = await context.newPage();
  const answeredBefore = a.answered();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const response = await tab.goto(`${a.base}/dashboard?range=day`);
  const htmlBytes = (await response!.body()).length;
  await tab.waitForFunction("document.getElementById('live')?.textContent?.startsWith('Live')", undefined, { timeout: 60_000, polling: 50 });
  const liveMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const used = process.cpuUsage(cpu);
  const answered = a.answered() - answeredBefore;
  await context.close();
  return {
    panelQuestions: asked.filter((u) => u.pathname === '/v1/query' && u.searchParams.get('granularity') !== 'minute').length,
    pageRequests: asked.length,
    answered,
    cpuMs: (used.user + used.system) / 1000,
    liveMs,
    htmlBytes,
    load1: loadAverage(),
  };
}

const roots: Array<[string, string]> = [['this checkout', resolve(import.meta.dirname, '..')]];
if (process.env.BENCH_BEFORE_ROOT) roots.unshift(['before', resolve(process.env.BENCH_BEFORE_ROOT)]);
const apps: Served[] = [];
for (const [label, root] of roots) apps.push(await serve(label, root));
const browser = await launchChromium();
try {
  const samples = new Map<string, { fcp: number[]; numbers: number[] }>();
  const record = (name: string, t: { fcp: number; numbers: number }) => {
    const s = samples.get(name) ?? { fcp: [], numbers: [] };
    s.fcp.push(t.fcp);
    s.numbers.push(t.numbers);
    samples.set(name, s);
  };
  const view = { viewport: { width: 1280, height: 900 } };
  // Alternating apps and scenarios run by run, so a noisy moment of the machine falls on all of them.
  for (let run = 0; run < RUNS + 1; run++) {
    for (const a of apps) {
      const first = await timeToNumbers(browser, `${a.base}/dashboard?range=day#key=${a.readKey}`, view);
      // Before the first paint was the server's, every visit was a first visit (the key lived in the tab).
      const again = await timeToNumbers(browser, `${a.base}/dashboard?range=day`, view, { name: 'analytics_dashboard_key', value: a.readKey });
      if (run === 0) continue; // warm-up: module compilation, first esbuild of sdk.js
      record(`${a.label}: first visit, key in the fragment`, first);
      record(`${a.label}: return visit, key cookie`, again);
    }
  }
  const ms = (values: number[], p: number) => Math.round(percentile(values, p));
  console.log(`\nTime to numbers in Chromium, ${RUNS} loads each (ms from navigation start)`);
  console.log('| scenario | FCP p50 | numbers p50 | numbers p95 | numbers max |');
  console.log('|---|---|---|---|---|');
  for (const [name, s] of samples) console.log(`| ${name} | ${ms(s.fcp, 50)} | ${ms(s.numbers, 50)} | ${ms(s.numbers, 95)} | ${Math.round(Math.max(...s.numbers))} |`);

  const costs = new Map<string, LoadCost[]>();
  console.log(`\nload average before the painted loads: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  for (let run = 0; run < RUNS + 1; run++) {
    for (const a of apps) {
      const cost = await paintedLoadCost(browser, a, view);
      if (run > 0) costs.set(a.label, [...(costs.get(a.label) ?? []), cost]);
    }
  }
  console.log(`load average after: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
  const p50 = (values: number[]) => percentile(values, 50);
  console.log(`\nOne painted (return) visit, ${RUNS} loads each, alternating; watched until ${SETTLE_MS} ms after the stream is open (p50, [min-max])`);
  console.log('| app | panel questions by the page | /v1 requests by the page | /v1 requests answered (in-process included) | CPU ms | ms to Live | HTML bytes | load (1 min) |');
  console.log('|---|---|---|---|---|---|---|---|');
  const spread = (values: number[], digits = 0) => `${p50(values).toFixed(digits)} [${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}]`;
  for (const [label, list] of costs) {
    const of = (pick: (c: LoadCost) => number, digits = 0) => spread(list.map(pick), digits);
    console.log(
      `| ${label} | ${of((c) => c.panelQuestions)} | ${of((c) => c.pageRequests)} | ${of((c) => c.answered)} | ${of((c) => c.cpuMs)} | ${of((c) => c.liveMs)} | ${of((c) => c.htmlBytes)} | ${of((c) => c.load1, 1)} |`,
    );
  }

  const results: LoadResult[] = [];
  for (const a of apps) {
    results.push(await runLoad({ name: `${a.label}: GET /dashboard, no key (shell)`, baseUrl: a.base, concurrency: CONCURRENCY, seconds: SECONDS, next: () => ({ method: 'GET', path: '/dashboard?range=day' }) }));
    results.push(
      await runLoad({
        name: `${a.label}: GET /dashboard, key cookie`,
        baseUrl: a.base,
        concurrency: CONCURRENCY,
        seconds: SECONDS,
        next: () => ({ method: 'GET', path: '/dashboard?range=day', headers: { cookie: `analytics_dashboard_key=${a.readKey}` } }),
      }),
    );
  }
  printResults(results);
} finally {
  await browser.close();
  for (const a of apps) await a.close();
}
