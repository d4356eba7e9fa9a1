import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import { createLogger, createMetricsRegistry, createServer, type HttpServer } from '@shop/platform';
import { createCartModule } from '../../../src/modules/cart/index.ts';
import { createCatalogModule } from '../../../src/modules/catalog/index.ts';
import { createOrdersModule, type ShippingQuotes } from '../../../src/modules/orders/index.ts';
import { createPricingModule } from '../../../src/modules/pricing/index.ts';
import { createPromotionsModule } from '../../../src/modules/promotions/index.ts';
import { migrate, type Database, type QueryObserver } from '../../../src/shared/database/index.ts';
import { createEventBus, type EventBus } from '../../../src/shared/events/index.ts';
import { createMemoryStore } from '../../../src/shared/kv/index.ts';
import type { DatabaseEngine } from '../../support/databases.ts';
import { createTestAuthenticator } from '../../support/test-authenticator.ts';

export const silentLogger = createLogger('orders-test', (process.env.ORDERS_TEST_LOG ?? 'silent') as 'silent');

/** Flat rates in the cart's currency: a stand-in for the shipping module, whose own tests cover its prices. */
export const FLAT_SHIPPING: ShippingQuotes = {
  async quote({ currency }) {
    return {
      ok: true,
      options: [
        { id: 'standard', name: 'Standard', priceMinor: 500, currency },
        { id: 'express', name: 'Express', priceMinor: 1500, currency },
      ],
    };
  },
};

export interface OrdersTestApp {
  db: Database;
  events: EventBus;
  server: HttpServer;
  orders: ReturnType<typeof createOrdersModule>;
  catalog: ReturnType<typeof createCatalogModule>;
  /** Statements the database saw since the last `observed.splice(0)`. */
  observed: string[];
  /** Lets a test move time forward (expiry). */
  clock: { offsetMs: number };
  close(): Promise<void>;
}

/**
 * The real catalog (on `engine`), the real cart (in-process key-value store), the real event bus
 * and the orders module, wired as app.ts wires them, behind one HTTP server. The bus is started
 * only when `startBus` is set: its background polling would otherwise show in statement counts.
 */
export async function openOrdersApp(
  engine: DatabaseEngine,
  options: { startBus?: boolean; paymentTimeoutMinutes?: number; /** Wire pricing (demo regions) and promotions as app.ts does. */ pricing?: boolean } = {},
): Promise<OrdersTestApp> {
  const observed: string[] = [];
  const observe: QueryObserver = (text) => void observed.push(text);
  const { db, cleanup } = await engine.open(observe);
  const clock = { offsetMs: 0 };
  const now = () => new Date(Date.now() + clock.offsetMs);
  const auth = createTestAuthenticator();
  const events = createEventBus({
    db,
    logger: silentLogger,
    options: { pollIntervalMs: 50, retry: { baseDelayMs: 5, maxDelayMs: 50, maxAttempts: 20 } },
  });
  const catalog = createCatalogModule({ db, auth, logger: silentLogger });
  const pricing = options.pricing ? createPricingModule({ db, auth, logger: silentLogger, seedDemoData: true }) : null;
  const promotions = options.pricing ? createPromotionsModule({ db, auth, logger: silentLogger, now }) : null;
  const cart = createCartModule({
    kv: createMemoryStore(),
    catalog: catalog.api,
    ...(pricing ? { pricing: pricing.api } : {}),
    auth,
    logger: silentLogger,
    config: { ttlSeconds: 3600, maxLines: 20, maxQuantity: 99, cookieSecure: false },
  });
  const orders = createOrdersModule({
    db,
    events,
    catalog: catalog.api,
    cart: cart.api,
    shipping: FLAT_SHIPPING,
    customers: { emailOf: async (userId) => `${userId}@example.test` },
    ...(pricing && promotions ? { taxes: pricing.api, promotions: promotions.api } : {}),
    auth,
    logger: silentLogger,
    // The sweeper is driven by hand in tests (`orders.api.expireUnpaidOrders`); the timer stays off.
    config: { paymentTimeoutMinutes: options.paymentTimeoutMinutes ?? 30, expirySweepMs: 3_600_000 },
    now,
  });
  await migrate(db, [events.migrations, catalog.migrations, ...(pricing && promotions ? [pricing.migrations, promotions.migrations] : []), orders.migrations]);
  await pricing?.start();
  await promotions?.start();

  const server = await createServer({
    logger: silentLogger,
    title: 'orders test',
    description: 'catalog, cart and orders routes',
    metrics: createMetricsRegistry(`orders_test_${randomUUID().slice(0, 8)}`),
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sid' }, bearer: { type: 'http', scheme: 'bearer' } },
  });
  await server.register(fastifyCookie);
  await server.register(
    async (api) => {
      await cart.routes?.(api);
      await orders.routes(api);
      await pricing?.routes(api);
      await promotions?.routes(api);
    },
    { prefix: '/api' },
  );
  await server.ready();
  if (options.startBus) await events.start();
  return {
    db,
    events,
    server,
    orders,
    catalog,
    observed,
    clock,
    async close() {
      await events.stop();
      await orders.stop();
      await promotions?.stop();
      await pricing?.stop();
      await server.close();
      await cleanup();
    },
  };
}

/** A published product with one variant, written straight into the catalog's tables (fixture data). */
export async function addVariant(db: Database, input: { onHand: number; priceMinor?: number; weightGrams?: number }): Promise<{ variantId: string; sku: string; productId: string }> {
  const productId = randomUUID();
  const variantId = randomUUID();
  const sku = `SKU-${variantId.slice(0, 8)}`;
  const now = new Date();
  await db.query(
    `insert into catalog.products (id, slug, name, status, created_at, updated_at) values ($1, $2, $3, 'published', $4, $4)`,
    [productId, `p-${productId.slice(0, 8)}`, `Product ${sku}`, now],
  );
  await db.query(
    `insert into catalog.variants (id, product_id, sku, price_minor, currency, weight_grams, on_hand, created_at, updated_at)
     values ($1, $2, $3, $4, 'EUR', $5, $6, $7, $7)`,
    [variantId, productId, sku, input.priceMinor ?? 1000, input.weightGrams ?? 200, input.onHand, now],
  );
  return { variantId, sku, productId };
}

export async function stockOf(db: Database, variantId: string): Promise<{ onHand: number; reserved: number }> {
  const { rows } = await db.query<{ on_hand: number; reserved: number }>('select on_hand, reserved from catalog.variants where id = $1', [variantId]);
  const row = rows[0];
  if (!row) throw new Error(`no variant ${variantId}`);
  return { onHand: row.on_hand, reserved: row.reserved };
}

export const ADDRESS = { name: 'Ada Lovelace', line1: '1 Analytical St', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

export const checkoutBody = (extra: Record<string, unknown> = {}) => ({
  shippingAddress: ADDRESS,
  shippingOptionId: 'standard',
  paymentMethod: 'tok_visa',
  ...extra,
});

/** Who calls: a signed-in user, an admin, or a guest holding a cart token (and maybe an order token). */
export interface Caller {
  user?: string;
  admin?: boolean;
  cartToken?: string;
  orderToken?: string;
  /** The region the shopper chose (sent as x-region, as the storefront's cookie would be). */
  region?: string;
}

/** A response body as tests read it: the assertions, not the types, check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- property chains on parsed JSON in assertions
type JsonBody = Record<string, any>;

export async function call(server: HttpServer, method: 'GET' | 'POST' | 'PATCH', url: string, caller: Caller = {}, body?: unknown, headers: Record<string, string> = {}) {
  const h: Record<string, string> = { ...headers };
  if (caller.user) h['x-test-user'] = caller.user;
  if (caller.admin) h['x-test-role'] = 'admin';
  if (caller.cartToken) h['x-cart-token'] = caller.cartToken;
  if (caller.orderToken) h['x-order-token'] = caller.orderToken;
  if (caller.region) h['x-region'] = caller.region;
  const response = await server.inject({ method, url, headers: h, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) });
  return { status: response.statusCode, json: response.body ? (JSON.parse(response.body) as JsonBody) : {}, headers: response.headers };
}

/** Puts `quantity` of a variant into the caller's cart; a guest without a token gets one back. */
export async function addToCart(server: HttpServer, caller: Caller, variantId: string, quantity = 1): Promise<Caller> {
  const res = await call(server, 'POST', '/api/cart/items', caller, { variantId, quantity });
  if (res.status !== 200 && res.status !== 201) throw new Error(`add to cart: ${res.status} ${JSON.stringify(res.json)}`);
  return caller.user ? caller : { ...caller, cartToken: res.json.cartToken as string };
}

export async function checkout(server: HttpServer, caller: Caller, key: string, body: unknown = checkoutBody()) {
  return call(server, 'POST', '/api/checkout', caller, body, { 'idempotency-key': key });
}

/** Polls until `check` gives a value (the bus delivers in the background). */
export async function waitFor<T>(check: () => Promise<T | undefined | false>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}
