/**
 * The storefront's budgets, measured: start time, JavaScript shipped to a product page, product page
 * latency at a fixed 100 requests/s (open loop), and Lighthouse (mobile profile) on home, a category,
 * a product and the cart. Commerce (embedded engines, demo catalog) and the storefront run as child
 * processes, as `npm start` runs them; load and Lighthouse come from this machine over loopback.
 *
 *   npm run bench:storefront        (BENCH_SECONDS=20 BENCH_RPS=100 LIGHTHOUSE=1 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'hdr-histogram-js';
import { Pool } from 'undici';
import { freePort, runTs, waitFor } from '../commerce/test/support/process.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const rps = Number(process.env.BENCH_RPS ?? 100);
const withLighthouse = process.env.LIGHTHOUSE !== '0';
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

const dataDir = mkdtempSync(join(tmpdir(), 'bench-storefront-'));
const [commercePort, storefrontPort] = [await freePort(), await freePort()];
const commerce = runTs('commerce/src/main.ts', { COMMERCE_PORT: String(commercePort), DATA_DIR: dataDir, SEED_DEMO_DATA: 'true', LOG_LEVEL: 'warn' });
const api = `http://127.0.0.1:${commercePort}`;
const shop = `http://127.0.0.1:${storefrontPort}`;
let storefront: ReturnType<typeof runTs> | undefined;

try {
  await waitFor(`${api}/ready`, 300_000);
  const started = performance.now();
  storefront = runTs('storefront/src/server/main.ts', { STOREFRONT_PORT: String(storefrontPort), COMMERCE_URL: api, LOG_LEVEL: 'warn' });
  await waitFor(`${shop}/health`, 60_000);
  const startMs = performance.now() - started;
  console.log(`storefront start (process spawn to first answer, islands built with esbuild): ${startMs.toFixed(0)} ms`);

  const { items } = (await (await fetch(`${api}/api/products?limit=100&inStock=true`)).json()) as { items: { slug: string }[] };
  const slugs = items.map((i) => i.slug);
  const productHtml = await (await fetch(`${shop}/p/${slugs[0]}`)).text();
  let jsBytes = 0;
  for (const [, src] of productHtml.matchAll(/<script type="module" src="([^"]+)">/g)) {
    jsBytes += (await (await fetch(`${shop}${src}`, { headers: { 'accept-encoding': 'gzip' } })).arrayBuffer()).byteLength;
  }
  console.log(`JavaScript shipped to a product page: ${(jsBytes / 1024).toFixed(1)} KB gzipped (budget 50 KB)`);

  // Warm-up, then an open loop: one request every 1000/rps ms whatever the answers do.
  const pool = new Pool(shop, { connections: 64 });
  const get = async (path: string) => {
    const res = await pool.request({ method: 'GET', path, headers: { 'accept-language': 'fr-FR' } });
    await res.body.dump();
    return res.statusCode;
  };
  for (let i = 0; i < 200; i++) await get(`/p/${slugs[i % slugs.length]}`);
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let errors = 0;
  const total = seconds * rps;
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      (async () => {
        const sent = performance.now();
        const status = await get(`/p/${slugs[i % slugs.length]}`).catch(() => 0);
        if (status !== 200) errors++;
        histogram.recordValue(Math.round((performance.now() - sent) * 1000));
      })(),
    );
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  const ms = (p: number) => (histogram.getValueAtPercentile(p) / 1000).toFixed(1);
  console.log(
    `product page at ${rps} req/s for ${seconds} s: ${histogram.totalCount} requests in ${elapsed.toFixed(1)} s, ${errors} errors; ` +
      `p50 ${ms(50)} / p95 ${ms(95)} / p99 ${ms(99)} / max ${(histogram.maxValue / 1000).toFixed(1)} ms (budget p99 < 30 ms)`,
  );
  await pool.close();

  if (withLighthouse) {
    const { default: lighthouse } = await import('lighthouse');
    const chromeLauncher = await import('chrome-launcher');
    // A cart with two lines, for the cart page's audit.
    const variants = await Promise.all(slugs.slice(0, 2).map(async (s) => ((await (await fetch(`${api}/api/products/${s}`)).json()) as { variants: { id: string; available: number }[] }).variants.find((v) => v.available > 0)!.id));
    let cartToken = '';
    for (const variantId of variants) {
      const res = await fetch(`${api}/api/cart/items`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cartToken ? { 'x-cart-token': cartToken } : {}) }, body: JSON.stringify({ variantId, quantity: 1 }) });
      cartToken = ((await res.json()) as { cartToken: string }).cartToken;
    }
    const pages: [string, string][] = [['home', '/'], ['category', '/c/clothing'], ['product', `/p/${slugs[0]}`], ['cart', '/cart']];
    console.log('\nLighthouse 12 (mobile profile, simulated throttling):');
    console.log('| page | performance | accessibility | best practices | SEO | LCP | TBT | CLS |');
    console.log('|---|---|---|---|---|---|---|---|');
    for (const [name, path] of pages) {
      const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
      try {
        const result = await lighthouse(`${shop}${path}`, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
          ...(name === 'cart' ? { extraHeaders: { cookie: `cart_token=${cartToken}` } } : {}),
        });
        const lhr = result!.lhr;
        const score = (c: string) => Math.round((lhr.categories[c]?.score ?? 0) * 100);
        const audit = (a: string) => lhr.audits[a]?.displayValue ?? '';
        console.log(`| ${name} | ${score('performance')} | ${score('accessibility')} | ${score('best-practices')} | ${score('seo')} | ${audit('largest-contentful-paint')} | ${audit('total-blocking-time')} | ${audit('cumulative-layout-shift')} |`);
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
  commerce.child.kill('SIGTERM');
  await Promise.all([storefront?.exited, commerce.exited]);
  rmSync(dataDir, { recursive: true, force: true });
}
