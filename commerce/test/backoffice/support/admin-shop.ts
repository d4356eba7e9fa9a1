import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createCommerceApp, type CommerceApp } from '../../../src/app.ts';
import { loadCommerceConfig } from '../../../src/config.ts';
import { createMemoryStore } from '../../../src/shared/kv/index.ts';
import type { DatabaseEngine } from '../../support/databases.ts';

export const ADMIN = { email: 'backoffice-admin@test.shop', password: 'backoffice-admin-pw-1' };
export const STAFF = { email: 'backoffice-staff@test.shop', password: 'backoffice-staff-pw-1' };
export const ADDRESS = { name: 'Ada Lovelace', line1: '1 rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };

/** A parsed JSON body as tests read it: the assertions, not the types, check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- property chains on parsed JSON in assertions
export type Json = Record<string, any>;

export interface AdminShop {
  app: CommerceApp;
  /** Calls the API; `as` is a bearer token (or none). */
  call(method: 'GET' | 'POST', url: string, options?: { as?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; json: Json; body: string; headers: Record<string, unknown> }>;
  adminToken: string;
  /** A `staff` user's bearer token: orders and shipments, no refunds, no operations. */
  staffToken: string;
  close(): Promise<void>;
}

/**
 * The whole commerce app as `npm start` composes it (demo catalog, sandbox gateway and carrier,
 * mailbox mailer), on `engine`'s database and an in-process cache, driven over `inject()`.
 */
export async function openAdminShop(engine: DatabaseEngine): Promise<AdminShop> {
  const database = await engine.open();
  const dataDir = `/tmp/backoffice-test-${randomUUID()}`;
  const config = loadCommerceConfig({
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    STAFF_EMAIL: STAFF.email,
    STAFF_PASSWORD: STAFF.password,
    SEED_DEMO_DATA: 'true',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    RATE_LIMIT_MAX: '0',
    SHED_EVENT_LOOP_DELAY_MS: '0',
    EVENTS_POLL_INTERVAL_MS: '50',
  });
  const app = await createCommerceApp(config, pino({ level: 'silent' }), { db: database.db, kv: createMemoryStore() });
  const call: AdminShop['call'] = async (method, url, options = {}) => {
    const res = await app.server.inject({
      method,
      url,
      headers: { ...(options.as ? { authorization: `Bearer ${options.as}` } : {}), ...options.headers },
      ...(options.body === undefined ? {} : { payload: options.body as Record<string, unknown> }),
    });
    let json: Json = {};
    try {
      json = res.body ? (JSON.parse(res.body) as Json) : {};
    } catch {
      // not JSON (HTML, SVG): read `body`
    }
    return { status: res.statusCode, json, body: res.body, headers: res.headers };
  };
  const login = await call('POST', '/api/auth/login', { body: ADMIN });
  if (login.status !== 200) throw new Error(`admin login: ${login.status} ${login.body}`);
  const staff = await call('POST', '/api/auth/login', { body: STAFF });
  if (staff.status !== 200) throw new Error(`staff login: ${staff.status} ${staff.body}`);
  return {
    app,
    call,
    adminToken: login.json.token as string,
    staffToken: staff.json.token as string,
    async close() {
      await app.close();
      await database.cleanup();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value, or fails with `describe()` after the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined>, describe: () => string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not reached after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A guest buys `quantity` of the demo catalog's `index`-th product with the test card; resolves to the checkout answer. */
export async function guestOrder(shop: AdminShop, email: string, quantity = 2, index = 0): Promise<{ orderId: string; orderNumber: string; variantId: string }> {
  const products = await shop.call('GET', `/api/products?limit=${index + 1}`);
  const detail = await shop.call('GET', `/api/products/${products.json.items[index].id}`);
  const variantId = detail.json.variants[0].id as string;
  const added = await shop.call('POST', '/api/cart/items', { body: { variantId, quantity } });
  if (added.status >= 300) throw new Error(`add to cart: ${added.status} ${added.body}`);
  const placed = await shop.call('POST', '/api/checkout', {
    headers: { 'x-cart-token': added.json.cartToken, 'idempotency-key': `bo-${randomUUID()}` },
    body: { email, shippingAddress: ADDRESS, shippingOptionId: 'standard', paymentMethod: '4242424242424242' },
  });
  if (placed.status !== 202) throw new Error(`checkout: ${placed.status} ${placed.body}`);
  return { orderId: placed.json.orderId, orderNumber: placed.json.orderNumber, variantId };
}

/** The admin's detail once `ready` holds for it. */
export function adminOrderWhen(shop: AdminShop, orderId: string, ready: (order: Json) => boolean): Promise<Json> {
  let last: Json = {};
  return eventually(
    async () => {
      const res = await shop.call('GET', `/api/admin/orders/${orderId}`, { as: shop.adminToken });
      last = res.json;
      return res.status === 200 && ready(res.json) ? res.json : undefined;
    },
    () => JSON.stringify(last),
  );
}
