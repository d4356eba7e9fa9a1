/**
 * The storefront's budgets, measured: start time, JavaScript shipped to a product page, product page
 * latency at a fixed rate (open loop), and Lighthouse (mobile profile) on home, a category, a product
 * and the cart. Commerce (demo catalog, on a fresh database of the real PostgreSQL unless
 * BENCH_ENGINE=embedded) and the storefront run as child processes, as `npm start` runs them; load
 * and Lighthouse come from this machine over loopback.
 *
 * BASELINE_DIR=/path/to/another/checkout also starts that checkout's storefront in front of the same
 * commerce and alternates the load between the two in 5-second slices, so a before/after comparison
 * shares the machine's noise.
 *
 *   npm run bench:storefront        (BENCH_SECONDS=20 BENCH_RPS=100 LIGHTHOUSE=1 BENCH_ENGINE=postgres by default)
 *   STOREFRONT_CPU_PROF=/tmp/prof   also writes a CPU profile of the storefront (open it in Chrome's DevTools)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type Histogram } from 'hdr-histogram-js';
import { Pool } from 'undici';
import { freePort, runTs, waitFor } from '../commerce/test/support/process.ts';
import { freshPostgresDatabase } from './lib/engines.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const rps = Number(process.env.BENCH_RPS ?? 100);
const withLighthouse = process.env.LIGHTHOUSE !== '0';
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const embedded = process.env.BENCH_ENGINE === 'embedded';
const baselineDir = process.env.BASELINE_DIR ? resolve(process.env.BASELINE_DIR) : undefined;
const SLICE_SECONDS = 5;

const dataDir = mkdtempSync(join(tmpdir(), 'bench-storefront-'));
const database = embedded ? undefined : await freshPostgresDatabase();
const [commercePort, storefrontPort, baselinePort] = [await freePort(), await freePort(), await freePort()];
const commerce = runTs('commerce/src/main.ts', {
  COMMERCE_PORT: String(commercePort),
  DATA_DIR: dataDir,
  SEED_DEMO_DATA: 'true',
  LOG_LEVEL: 'warn',
  ...(database ? { DATABASE_URL: database.url } : {}),
});
const api = `http://127.0.0.1:${commercePort}`;
const shop = `http://127.0.0.1:${storefrontPort}`;
const baselineShop = `http://127.0.0.1:${baselinePort}`;
let storefront: ReturnType<typeof runTs> | undefined;
let baseline: ReturnType<typeof runTs> | undefined;

/** The API's JSON answer; waits out a 429 or 503 (the load just sent through the storefronts shares its client budget). */
async function apiJson<T>(path: string, init?: RequestInit): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${api}${path}`, init);
    if ((res.status !== 429 && res.status !== 503) || attempt === 30) {
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    }
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
  }
}

/** CPU time (user + system) a process has used so far, from /proc: robust to a busy machine, unlike latency. */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

/** Starts a storefront (this checkout's, or `root`'s) and answers how long until its first answer. */
async function startStorefront(port: number, root?: string): Promise<{ process: ReturnType<typeof runTs>; ms: number }> {
  const started = performance.now();
  const entry = root ? join(root, 'storefront/src/server/main.ts') : 'storefront/src/server/main.ts';
  // STOREFRONT_CPU_PROF=<dir>: a V8 CPU profile of this checkout's storefront, written when it stops.
  const profile = !root && process.env.STOREFRONT_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.STOREFRONT_CPU_PROF)}`] : [];
  const running = runTs(entry, { STOREFRONT_PORT: String(port), COMMERCE_URL: api, LOG_LEVEL: 'warn' }, profile);
  await waitFor(`http://127.0.0.1:${port}/health`, 120_000);
  return { process: running, ms: performance.now() - started };
}

try {
  await waitFor(`${api}/ready`, 300_000);
  console.log(`commerce on ${embedded ? 'embedded engines (PGlite)' : 'the real PostgreSQL'}; load ${new Date().toISOString()} ${process.env.HOSTNAME ?? ''}`);
  const current = await startStorefront(storefrontPort);
  storefront = current.process;
  console.log(`storefront start (process spawn to first answer, islands built with esbuild): ${current.ms.toFixed(0)} ms`);
  if (baselineDir) {
    const before = await startStorefront(baselinePort, baselineDir);
    baseline = before.process;
    console.log(`baseline storefront (${baselineDir}) start: ${before.ms.toFixed(0)} ms`);
  }

  const { items } = await apiJson<{ items: { slug: string }[] }>('/api/products?limit=100&inStock=true');
  const slugs = items.map((i) => i.slug);
  const productHtml = await (await fetch(`${shop}/p/${slugs[0]}`)).text();
  let jsBytes = 0;
  for (const [, src] of productHtml.matchAll(/<script type="module" src="([^"]+)">/g)) {
    jsBytes += (await (await fetch(`${shop}${src}`, { headers: { 'accept-encoding': 'gzip' } })).arrayBuffer()).byteLength;
  }
  console.log(`JavaScript shipped to a product page: ${(jsBytes / 1024).toFixed(1)} KB gzipped (budget 50 KB)`);
  console.log(`product page document: ${(Buffer.byteLength(productHtml) / 1024).toFixed(1)} KB`);

  // Warm-up, then an open loop: one request every 1000/rps ms whatever the answers do.
  const targets = [
    { name: 'this checkout', origin: shop, pid: storefront.child.pid },
    ...(baselineDir ? [{ name: `baseline ${baselineDir}`, origin: baselineShop, pid: baseline?.child.pid }] : []),
  ].map((t) => ({
    ...t,
    pool: new Pool(t.origin, { connections: 64 }),
    histogram: build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 }) as Histogram,
    errors: 0,
    seconds: 0,
    cpuMs: 0,
    apiCpuMs: 0,
  }));
  const get = async (pool: Pool, path: string) => {
    // What a browser sends: the storefront compresses pages for it, and that costs CPU too.
    const res = await pool.request({ method: 'GET', path, headers: { 'accept-language': 'fr-FR', 'accept-encoding': 'gzip, deflate, br' } });
    await res.body.dump();
    return res.statusCode;
  };
  for (const t of targets) for (let i = 0; i < 200; i++) await get(t.pool, `/p/${slugs[i % slugs.length]}`);
  // Slices alternate between the targets, so each sees the same share of the machine's noise.
  let sent = 0;
  for (let slice = 0; slice * SLICE_SECONDS < seconds * targets.length; slice++) {
    const t = targets[slice % targets.length]!;
    const length = Math.min(SLICE_SECONDS, seconds - t.seconds);
    if (length <= 0) continue;
    const total = Math.round(length * rps);
    const [cpu0, api0] = [cpuMs(t.pid), cpuMs(commerce.child.pid)];
    const t0 = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rps;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const path = `/p/${slugs[sent++ % slugs.length]}`;
      inflight.push(
        (async () => {
          const at = performance.now();
          const status = await get(t.pool, path).catch(() => 0);
          if (status !== 200) t.errors++;
          t.histogram.recordValue(Math.round((performance.now() - at) * 1000));
        })(),
      );
    }
    await Promise.all(inflight);
    t.cpuMs += cpuMs(t.pid) - cpu0;
    t.apiCpuMs += cpuMs(commerce.child.pid) - api0;
    t.seconds += length;
  }
  for (const t of targets) {
    const ms = (p: number) => (t.histogram.getValueAtPercentile(p) / 1000).toFixed(1);
    console.log(
      `product page at ${rps} req/s for ${t.seconds} s (${t.name}): ${t.histogram.totalCount} requests, ${t.errors} errors; ` +
        `p50 ${ms(50)} / p95 ${ms(95)} / p99 ${ms(99)} / max ${(t.histogram.maxValue / 1000).toFixed(1)} ms (budget p99 < 30 ms); ` +
        `CPU per page: storefront ${(t.cpuMs / t.histogram.totalCount).toFixed(2)} ms, commerce ${(t.apiCpuMs / t.histogram.totalCount).toFixed(2)} ms`,
    );
    await t.pool.close();
  }

  if (withLighthouse) {
    const { default: lighthouse } = await import('lighthouse');
    const chromeLauncher = await import('chrome-launcher');
    // A cart with two lines, for the cart page's audit.
    const variants = await Promise.all(slugs.slice(0, 2).map(async (s) => (await apiJson<{ variants: { id: string; available: number }[] }>(`/api/products/${s}`)).variants.find((v) => v.available > 0)!.id));
    let cartToken = '';
    for (const variantId of variants) {
      const headers = { 'content-type': 'application/json', ...(cartToken ? { 'x-cart-token': cartToken } : {}) };
      cartToken = (await apiJson<{ cartToken: string }>('/api/cart/items', { method: 'POST', headers, body: JSON.stringify({ variantId, quantity: 1 }) })).cartToken;
    }
    const pages: [string, string][] = [['home', '/'], ['category', '/c/clothing'], ['product', `/p/${slugs[0]}`], ['cart', '/cart']];
    console.log('\nLighthouse 12 (mobile profile, simulated throttling):');
    console.log('| page | storefront | performance | accessibility | best practices | SEO | LCP | TBT | CLS |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    // With a baseline, each page is audited on both storefronts one after the other.
    const origins: [string, string][] = [['this checkout', shop], ...(baselineDir ? ([['baseline', baselineShop]] as [string, string][]) : [])];
    for (const [name, path] of pages) for (const [which, origin] of origins) {
      const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
      try {
        const result = await lighthouse(`${origin}${path}`, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
          ...(name === 'cart' ? { extraHeaders: { cookie: `cart_token=${cartToken}` } } : {}),
        });
        const lhr = result!.lhr;
        const score = (c: string) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
        const audit = (a: string) => lhr.audits[a]?.displayValue ?? '';
        console.log(`| ${name} | ${which} | ${score('performance')} | ${score('accessibility')} | ${score('best-practices')} | ${score('seo')} | ${audit('largest-contentful-paint')} | ${audit('total-blocking-time')} | ${audit('cumulative-layout-shift')} |`);
        for (const [id, a] of Object.entries(lhr.audits)) {
          if (a.score !== null && a.score < 0.9 && a.scoreDisplayMode === 'binary') console.log(`    ${name}: ${id} — ${a.title}`);
        }
      } finally {
        await chrome.kill();
      }
    }
  }
} finally {
  storefront?.child.kill('SIGTERM');
  baseline?.child.kill('SIGTERM');
  commerce.child.kill('SIGTERM');
  await Promise.all([storefront?.exited, baseline?.exited, commerce.exited]);
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
