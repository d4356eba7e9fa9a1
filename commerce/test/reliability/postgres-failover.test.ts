import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinaries, startPostgresStandbyPair, type PostgresStandbyPair } from '@shop/platform/testing';
import {
  ADDRESS,
  adminBearer,
  adminGet,
  adminVariant,
  http,
  pickVariants,
  setStock,
  startShop,
  tempDir,
  waitForQuietBus,
  waitForStatus,
  type CheckoutAnswer,
  type PickedVariant,
  type ShopProcess,
} from './support/shop.ts';

const binaries = postgresBinaries();
const PAID = ['paid', 'fulfilled', 'shipped', 'delivered'];
/** A checkout every this many ms, before, during and after the failover: a steady stream. */
const EVERY_MS = 120;
const STREAM_MS = 6_000;

/** Runs `call` again while it answers 503 (the database failing over), as a client told Retry-After would. */
async function retrying<T>(call: () => Promise<{ status: number; body: T; text: string }>, unavailable: { count: number }, deadlineMs = 30_000) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const res = await call();
    if (res.status !== 503 || Date.now() > deadline) return res;
    unavailable.count++;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The shop on a primary and a synchronous streaming standby (both started here), with
 * DATABASE_URL listing both hosts (`target_session_attrs=read-write`) and shoppers' catalog
 * reads on DATABASE_READ_URL (`prefer-standby`).
 */
describe.skipIf(!binaries.available)('commerce on a PostgreSQL primary and a synchronous standby', () => {
  const data = tempDir('rel-pg-failover-');
  let pair: PostgresStandbyPair;
  let shop: ShopProcess;
  let bearer: string;
  let variants: PickedVariant[];

  beforeAll(async () => {
    pair = await startPostgresStandbyPair({ synchronous: true, bin: binaries.bin });
    const admin = new pg.Client({ connectionString: pair.primary.url });
    await admin.connect();
    await admin.query('create database shop');
    await admin.end();
    shop = await startShop({
      DATABASE_URL: pair.url('shop', 'read-write'),
      DATABASE_READ_URL: pair.url('shop', 'prefer-standby'),
      DATABASE_FAILOVER_WAIT_MS: '5000',
      DATA_DIR: data.path,
      PAYMENTS_RETRY_BASE_DELAY_MS: '100',
      // A delivery whose outcome was lost with the primary runs again after this, not after 30 s.
      EVENTS_LEASE_MS: '3000',
      CATALOG_CACHE_TTL_MS: '0',
    });
    bearer = await adminBearer(shop.base);
    variants = await pickVariants(shop.base, 2);
    for (const v of variants) await setStock(shop.base, bearer, v, 500);
  }, 120_000);
  afterAll(async () => {
    await shop?.kill();
    await pair?.remove();
    data.remove();
  });

  it('serves shoppers from the standby and staff from the primary: an admin reads their own write at once, shoppers once it is replayed', async () => {
    const product = variants[0]!.productId;
    const standby = new pg.Client({ connectionString: pair.standby.url });
    await standby.connect();
    try {
      // Replay paused: the standby still receives and flushes WAL (commits are acknowledged) but shows nothing new.
      await standby.query('select pg_wal_replay_pause()');
      const before = (await http<{ name: string }>(shop.base, 'GET', `/api/products/${product}`)).body.name;
      const renamed = `Renamed ${randomUUID().slice(0, 8)}`;
      const patch = await http(shop.base, 'PATCH', `/api/admin/products/${product}`, { headers: { authorization: `Bearer ${bearer}` }, body: { name: renamed } });
      expect(patch.status, patch.text).toBe(200);

      const asAdmin = await http<{ name: string }>(shop.base, 'GET', `/api/products/${product}`, { headers: { authorization: `Bearer ${bearer}` } });
      expect(asAdmin.body.name).toBe(renamed);
      const asShopper = await http<{ name: string }>(shop.base, 'GET', `/api/products/${product}`);
      expect(asShopper.body.name).toBe(before);

      await standby.query('select pg_wal_replay_resume()');
      await expect.poll(async () => (await http<{ name: string }>(shop.base, 'GET', `/api/products/${product}`)).body.name, { timeout: 10_000 }).toBe(renamed);
    } finally {
      await standby.query('select pg_wal_replay_resume()').catch(() => undefined);
      await standby.end();
    }
  }, 60_000);

  it('keeps taking orders when the primary is stopped and the standby promoted: every 202 ends paid exactly once, nothing acknowledged is lost', async () => {
    const unavailable = { count: 0 };
    const placed: Array<{ order: CheckoutAnswer; variant: PickedVariant; email: string; at: number }> = [];
    let promotedAt = Infinity;
    const failed: string[] = [];
    const shopper = async (i: number) => {
      const variant = variants[i % variants.length]!;
      const email = `failover-${i}@example.com`;
      const cart = await retrying(() => http<{ cartToken: string }>(shop.base, 'POST', '/api/cart/items', { body: { variantId: variant.variantId, quantity: 1 } }), unavailable);
      if (cart.status >= 300) return void failed.push(`cart ${i}: ${cart.status} ${cart.text}`);
      // One key per order, kept across retries: a checkout answered 503 may have committed.
      const key = `failover-${randomUUID()}`;
      const res = await retrying(
        () =>
          http<CheckoutAnswer>(shop.base, 'POST', '/api/checkout', {
            headers: { 'x-cart-token': cart.body.cartToken, 'idempotency-key': key },
            body: { email, shippingAddress: ADDRESS, shippingOptionId: 'standard', paymentMethod: '4242424242424242' },
          }),
        unavailable,
      );
      if (res.status === 202) placed.push({ order: res.body, variant, email, at: Date.now() });
      else failed.push(`checkout ${i}: ${res.status} ${res.text}`);
    };

    const running: Promise<void>[] = [];
    const started = Date.now();
    let failover: Promise<void> | undefined;
    for (let i = 0; Date.now() - started < STREAM_MS; i++) {
      running.push(shopper(i));
      if (!failover && Date.now() - started > STREAM_MS / 3) {
        failover = (async () => {
          await pair.stopPrimary('immediate');
          await new Promise((r) => setTimeout(r, 500));
          await pair.promoteStandby();
          promotedAt = Date.now();
        })();
      }
      await new Promise((r) => setTimeout(r, EVERY_MS));
    }
    await failover;
    await Promise.all(running);
    expect(failed).toEqual([]);
    expect(placed.length).toBeGreaterThan(STREAM_MS / EVERY_MS / 2);
    // Shopping went on past the promotion, on the former standby.
    expect(placed.filter((p) => p.at > promotedAt).length).toBeGreaterThan(5);

    for (const p of placed) await waitForStatus(shop.base, p.order, PAID, 60_000);
    await waitForQuietBus(shop.base, bearer, 60_000);

    const journal = readFileSync(join(data.path, 'payments-sandbox', 'journal.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { reply?: { key: string; outcome: { status: string; alreadyCaptured?: boolean } } });
    const captures = (id: string) => journal.filter((l) => l.reply?.key === `capture:${id}` && l.reply.outcome.status === 'captured' && !l.reply.outcome.alreadyCaptured).length;
    const sent = (id: string) =>
      readFileSync(join(data.path, 'mail', 'sends.log'), 'utf8')
        .split('\n')
        .filter((l) => l && (JSON.parse(l) as { idempotencyKey: string }).idempotencyKey === `order-confirmation:${id}`).length;
    const perVariant = new Map<string, number>();
    for (const p of placed) {
      const id = p.order.orderId;
      const { orders } = await adminGet<{ orders: Array<{ id: string }> }>(shop.base, bearer, `/api/admin/orders?email=${encodeURIComponent(p.email)}`);
      expect(orders.map((o) => o.id), p.email).toEqual([id]);
      expect(captures(id), id).toBe(1);
      await expect.poll(() => sent(id), { timeout: 20_000 }).toBe(1);
      perVariant.set(p.variant.variantId, (perVariant.get(p.variant.variantId) ?? 0) + 1);
    }
    for (const v of variants) {
      const now = await adminVariant(shop.base, bearer, v);
      expect({ sku: v.sku, onHand: now.onHand, reserved: now.reserved }).toEqual({ sku: v.sku, onHand: 500 - (perVariant.get(v.variantId) ?? 0), reserved: 0 });
    }
    console.info(`failover under load: ${placed.length} orders acknowledged, ${unavailable.count} answers 503 retried`);
  }, 150_000);
});
