/**
 * Checkout benchmark: checkout and asynchronous payment on REAL PostgreSQL + Redis, the commerce
 * app started here as a child process (as `npm start` runs it), the embedded sandbox gateway,
 * load generated on this machine over loopback. Two modes:
 *
 * - closed loop: BENCH_CONCURRENCY virtual shoppers (default 16), for BENCH_SECONDS (default 20),
 *   each browses a product, adds it to a fresh guest cart, checks out with the sandbox card
 *   and polls the order until it is paid; then starts over.
 * - fixed rate: BENCH_RATE checkouts per second (default 100) for BENCH_RATE_SECONDS (default 15)
 *   of carts filled beforehand; latency is measured from each checkout's scheduled start, so a
 *   slow server is not hidden by the generator waiting for it (no coordinated omission).
 *
 * 202-to-paid is read from the order's own timeline (the `paid` step's time minus the
 * `pending_payment` step's), so it does not depend on how often the shopper polls.
 *
 *   npx tsx bench/commerce-checkout.ts
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Histogram } from 'hdr-histogram-js';
import { freePort, runTs, waitFor } from '../commerce/test/support/process.ts';
import { freshPostgresDatabase } from './lib/engines.ts';
import { Redis } from 'ioredis';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const rate = Number(process.env.BENCH_RATE ?? 100);
const rateSeconds = Number(process.env.BENCH_RATE_SECONDS ?? 15);
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PAID = new Set(['paid', 'fulfilled', 'shipped', 'delivered']);
const ADDRESS = { name: 'Bench Shopper', line1: '1 rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };
const admin = { email: 'bench-admin@bench.shop', password: randomBytes(18).toString('base64url') };

const histogram = (): Histogram => build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
const record = (h: Histogram, ms: number) => h.recordValue(Math.max(1, Math.round(ms * 1000)));
const pct = (h: Histogram, p: number) => (h.totalCount === 0 ? NaN : Math.round(h.getValueAtPercentile(p) / 10) / 100);

interface Json {
  status: number;
  body: Record<string, unknown>;
}
async function call(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Json> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

interface Timeline {
  status: string;
  timeline: Array<{ to: string; at: string }>;
}

/** Server-side delay from the order's creation to its `paid` step, in ms; undefined while not paid. */
function paidDelay(order: Timeline): number | undefined {
  const created = order.timeline.find((s) => s.to === 'pending_payment');
  const paid = order.timeline.find((s) => s.to === 'paid');
  return created && paid ? Date.parse(paid.at) - Date.parse(created.at) : undefined;
}

interface ModeResult {
  name: string;
  checkouts: number;
  paid: number;
  seconds: number;
  checkoutLatency: Histogram;
  toPaid: Histogram;
  statuses: Record<string, number>;
  errors: number;
}

function printResults(results: ModeResult[]): void {
  console.log('\n| mode | checkouts (202) | paid | paid orders/s | checkout p50 ms | p95 ms | p99 ms | 202→paid p50 ms | p99 ms | non-202 | errors |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const bad = Object.entries(r.statuses).map(([s, n]) => `${s}:${n}`).join(' ') || '0';
    const perSecond = Math.round((r.paid / r.seconds) * 10) / 10;
    console.log(
      `| ${r.name} | ${r.checkouts} | ${r.paid} | ${perSecond} | ${pct(r.checkoutLatency, 50)} | ${pct(r.checkoutLatency, 95)} | ${pct(r.checkoutLatency, 99)} | ${pct(r.toPaid, 50)} | ${pct(r.toPaid, 99)} | ${bad} | ${r.errors} |`,
    );
  }
}

const database = await freshPostgresDatabase();
const dataDir = mkdtempSync(join(tmpdir(), 'bench-checkout-'));
const port = await freePort();
const app = runTs('commerce/src/main.ts', {
  COMMERCE_PORT: String(port),
  DATABASE_URL: database.url,
  REDIS_URL: redisUrl,
  DATA_DIR: dataDir,
  SEED_DEMO_DATA: 'true',
  LOG_LEVEL: 'warn',
  // The per-client limit runs (its cost is part of the figures) but one load generator never reaches it.
  RATE_LIMIT_MAX: process.env.BENCH_RATE_LIMIT_MAX ?? '1000000000',
  ADMIN_EMAIL: admin.email,
  ADMIN_PASSWORD: admin.password,
  DATABASE_POOL_SIZE: '20',
});
const base = `http://127.0.0.1:${port}`;
const cartTokens: string[] = [];

try {
  await waitFor(`${base}/ready`);
  const login = await call(base, 'POST', '/api/auth/login', {}, admin);
  const bearer = { authorization: `Bearer ${String(login.body.token)}` };

  // Twenty products, one variant each, stocked far beyond what the run can sell.
  const page = await call(base, 'GET', '/api/products?limit=20');
  const products = (page.body.items as Array<{ id: string }>).map((p) => p.id);
  const variants: Array<{ productId: string; variantId: string }> = [];
  for (const productId of products) {
    const detail = await call(base, 'GET', `/api/admin/products/${productId}`, bearer);
    const v = (detail.body.variants as Array<{ id: string; onHand: number }>)[0];
    if (!v) continue;
    const delta = 1_000_000 - v.onHand;
    if (delta !== 0) {
      const adj = await call(base, 'POST', `/api/admin/variants/${v.id}/stock-adjustments`, bearer, { delta, reason: 'benchmark stock' });
      if (adj.status !== 201) throw new Error(`stock adjustment: ${adj.status} ${JSON.stringify(adj.body)}`);
    }
    variants.push({ productId, variantId: v.id });
  }
  const pick = (i: number) => variants[i % variants.length]!;

  const newCart = async (i: number): Promise<string> => {
    const res = await call(base, 'POST', '/api/cart/items', {}, { variantId: pick(i).variantId, quantity: 1 });
    if (res.status >= 300) throw new Error(`add to cart: ${res.status} ${JSON.stringify(res.body)}`);
    const token = String(res.body.cartToken);
    cartTokens.push(token);
    return token;
  };
  const checkout = (cart: string, n: number) =>
    call(
      base,
      'POST',
      '/api/checkout',
      { 'x-cart-token': cart, 'idempotency-key': `bench-${randomUUID()}` },
      { email: `shopper-${n}@bench.example`, shippingAddress: ADDRESS, shippingOptionId: 'standard', paymentMethod: '4242424242424242' },
    );
  const readOrder = async (orderId: string, orderToken: string): Promise<Timeline> =>
    (await call(base, 'GET', `/api/orders/${orderId}`, { 'x-order-token': orderToken })).body as unknown as Timeline;

  const results: ModeResult[] = [];

  // Closed loop: browse, add, check out, poll until paid.
  {
    const result: ModeResult = { name: `closed loop, ${concurrency} shoppers`, checkouts: 0, paid: 0, seconds: 0, checkoutLatency: histogram(), toPaid: histogram(), statuses: {}, errors: 0 };
    const started = performance.now();
    const deadline = started + seconds * 1000;
    let n = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        while (performance.now() < deadline) {
          const i = n++;
          try {
            await call(base, 'GET', `/api/products/${pick(worker + i).productId}`);
            const cart = await newCart(worker + i);
            const t0 = performance.now();
            const placed = await checkout(cart, i);
            record(result.checkoutLatency, performance.now() - t0);
            if (placed.status !== 202) {
              result.statuses[placed.status] = (result.statuses[placed.status] ?? 0) + 1;
              continue;
            }
            result.checkouts++;
            const { orderId, orderToken } = placed.body as { orderId: string; orderToken: string };
            for (;;) {
              const order = await readOrder(orderId, orderToken);
              if (PAID.has(order.status)) {
                const delay = paidDelay(order);
                if (delay !== undefined) record(result.toPaid, delay);
                result.paid++;
                break;
              }
              if (order.status === 'cancelled' || order.status === 'payment_failed') {
                result.statuses[order.status] = (result.statuses[order.status] ?? 0) + 1;
                break;
              }
              await new Promise((r) => setTimeout(r, 25));
            }
          } catch {
            result.errors++;
          }
        }
      }),
    );
    result.seconds = Math.round(((performance.now() - started) / 1000) * 10) / 10;
    results.push(result);
  }

  // Fixed rate: carts filled first, then one checkout every 1000/rate ms regardless of answers.
  {
    const total = Math.round(rate * rateSeconds);
    const carts: string[] = [];
    for (let i = 0; i < total; i += concurrency) {
      carts.push(...(await Promise.all(Array.from({ length: Math.min(concurrency, total - i) }, (_, k) => newCart(i + k)))));
    }
    const result: ModeResult = { name: `fixed rate, ${rate}/s for ${rateSeconds}s`, checkouts: 0, paid: 0, seconds: 0, checkoutLatency: histogram(), toPaid: histogram(), statuses: {}, errors: 0 };
    const placed: Array<{ orderId: string; orderToken: string }> = [];
    const started = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const scheduled = started + (i * 1000) / rate;
      const wait = scheduled - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(
        checkout(carts[i]!, 1_000_000 + i)
          .then((res) => {
            record(result.checkoutLatency, performance.now() - scheduled);
            if (res.status === 202) {
              result.checkouts++;
              placed.push(res.body as { orderId: string; orderToken: string });
            } else result.statuses[res.status] = (result.statuses[res.status] ?? 0) + 1;
          })
          .catch(() => {
            result.errors++;
          }),
      );
    }
    await Promise.all(pending);
    const sent = (performance.now() - started) / 1000;
    // Then wait (bounded) until every placed order is paid, and read each one's 202-to-paid delay.
    const drainDeadline = performance.now() + 120_000;
    let open = [...placed];
    while (open.length > 0 && performance.now() < drainDeadline) {
      const still: typeof open = [];
      for (let k = 0; k < open.length; k += 16) {
        const batch = open.slice(k, k + 16);
        // A read that fails (a reset keep-alive connection) just leaves the order for the next round.
        const orders = await Promise.all(batch.map((o) => readOrder(o.orderId, o.orderToken).catch(() => null)));
        orders.forEach((order, j) => {
          if (order === null) still.push(batch[j]!);
          else if (PAID.has(order.status)) {
            const delay = paidDelay(order);
            if (delay !== undefined) record(result.toPaid, delay);
            result.paid++;
          } else if (order.status === 'pending_payment') still.push(batch[j]!);
          else result.statuses[order.status] = (result.statuses[order.status] ?? 0) + 1;
        });
      }
      open = still;
      if (open.length > 0) await new Promise((r) => setTimeout(r, 250));
    }
    if (open.length > 0) result.statuses['unpaid after 120 s'] = open.length;
    // Paid orders/s over the sending window plus the drain: what the system sustained end to end.
    result.seconds = Math.round(Math.max(sent, (performance.now() - started) / 1000) * 10) / 10;
    results.push(result);
  }

  console.log(
    `\n${new Date().toISOString()}  commerce checkout: PostgreSQL + Redis, 1 app process, sandbox gateway, ${variants.length} variants, load over loopback`,
  );
  printResults(results);
} finally {
  app.child.kill('SIGTERM');
  await app.exited;
  await database.drop();
  // Checkout clears its cart; only this run's leftovers (failed checkouts) are removed, by exact key.
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for (let i = 0; i < cartTokens.length; i += 500) await redis.unlink(...cartTokens.slice(i, i + 500).map((t) => `commerce:cart:guest:${t}`));
  } catch {
    // cleanup is best effort
  } finally {
    redis.disconnect();
  }
  rmSync(dataDir, { recursive: true, force: true });
}
