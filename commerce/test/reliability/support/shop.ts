import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { realEngine } from '@shop/platform/testing';
import { freePort, runTs, waitFor, type RunningProcess } from '../../support/process.ts';

/**
 * Helpers for the reliability suites: the commerce app as a real child process (as `npm start`
 * runs it) on a throwaway PostgreSQL database, driven only over HTTP like a shopper and an admin.
 */

export const ADMIN = { email: 'reliability-admin@test.shop', password: 'reliability-admin-pw-1' };

export const postgres = await realEngine('postgres');
export const redis = await realEngine('redis');

export const ADDRESS = { name: 'Ada Lovelace', line1: '1 rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };

export interface TestDatabaseUrl {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the real PostgreSQL, dropped (with force) by `drop()`. */
export async function freshDatabase(): Promise<TestDatabaseUrl> {
  const name = `rel_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: postgres.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgres.url);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: postgres.url });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface ShopProcess {
  base: string;
  proc: RunningProcess;
  /** SIGKILL (no shutdown hooks run) and wait for the exit. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts `commerce/src/main.ts` with the admin, the demo catalog and a fast event poll; resolves once /ready answers. */
export async function startShop(env: Record<string, string>): Promise<ShopProcess> {
  const port = await freePort();
  const proc = runTs('commerce/src/main.ts', {
    COMMERCE_PORT: String(port),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SEED_DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
    // Many shoppers come from one test address here; the per-client limit has its own tests.
    RATE_LIMIT_MAX: '0',
    EVENTS_POLL_INTERVAL_MS: '100',
    DATABASE_POOL_SIZE: '8',
    ...env,
  });
  const base = `http://127.0.0.1:${port}`;
  const exitedEarly = proc.exited.then(({ code, signal }) => {
    throw new Error(`commerce exited (code ${code}, signal ${signal}) before ready:\n${proc.output().slice(-3000)}`);
  });
  exitedEarly.catch(() => undefined); // after ready, the exit is expected: only the race below cares
  await Promise.race([waitFor(`${base}/ready`, 120_000), exitedEarly]);
  const end = async (signal: NodeJS.Signals) => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill(signal);
    await proc.exited;
  };
  return { base, proc, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

export async function http<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown } = {},
): Promise<JsonResponse<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body: body as T, text };
}

export async function adminBearer(base: string): Promise<string> {
  const res = await http<{ token: string }>(base, 'POST', '/api/auth/login', { body: ADMIN });
  if (res.status !== 200) throw new Error(`admin login: ${res.status} ${res.text}`);
  return res.body.token;
}

export interface AdminVariant {
  id: string;
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
}

export interface PickedVariant {
  productId: string;
  variantId: string;
  sku: string;
}

/** The first `count` variants of the demo catalog's first products (one variant per product). */
export async function pickVariants(base: string, count: number): Promise<PickedVariant[]> {
  const page = await http<{ items: Array<{ id: string }> }>(base, 'GET', `/api/products?limit=${Math.min(100, count)}`);
  const picked: PickedVariant[] = [];
  for (const p of page.body.items.slice(0, count)) {
    const detail = await http<{ variants: Array<{ id: string; sku: string }> }>(base, 'GET', `/api/products/${p.id}`);
    const v = detail.body.variants[0];
    if (v) picked.push({ productId: p.id, variantId: v.id, sku: v.sku });
  }
  if (picked.length < count) throw new Error(`only ${picked.length} variants found`);
  return picked;
}

export async function adminVariant(base: string, bearer: string, v: PickedVariant): Promise<AdminVariant> {
  const res = await http<{ variants: AdminVariant[] }>(base, 'GET', `/api/admin/products/${v.productId}`, {
    headers: { authorization: `Bearer ${bearer}` },
  });
  const found = res.body.variants?.find((x) => x.id === v.variantId);
  if (res.status !== 200 || !found) throw new Error(`admin product ${v.productId}: ${res.status} ${res.text}`);
  return found;
}

/** Sets on-hand stock to exactly `onHand` with an audited adjustment. */
export async function setStock(base: string, bearer: string, v: PickedVariant, onHand: number): Promise<void> {
  const current = await adminVariant(base, bearer, v);
  const delta = onHand - current.onHand;
  if (delta === 0) return;
  const res = await http(base, 'POST', `/api/admin/variants/${v.variantId}/stock-adjustments`, {
    headers: { authorization: `Bearer ${bearer}` },
    body: { delta, reason: 'reliability test' },
  });
  if (res.status !== 201) throw new Error(`stock adjustment: ${res.status} ${res.text}`);
}

/** A guest cart holding `quantity` of the variant; returns its token. */
export async function guestCart(base: string, variantId: string, quantity = 1): Promise<string> {
  const res = await http<{ cartToken: string }>(base, 'POST', '/api/cart/items', { body: { variantId, quantity } });
  if (res.status >= 300) throw new Error(`add to cart: ${res.status} ${res.text}`);
  return res.body.cartToken;
}

export interface CheckoutAnswer {
  orderId: string;
  orderToken: string;
  orderNumber: string;
}

export function checkout(base: string, cartToken: string, email: string, paymentMethod = '4242424242424242') {
  return http<CheckoutAnswer>(base, 'POST', '/api/checkout', {
    headers: { 'x-cart-token': cartToken, 'idempotency-key': `rel-${randomUUID()}` },
    body: { email, shippingAddress: ADDRESS, shippingOptionId: 'standard', paymentMethod },
  });
}

export interface OrderView {
  id: string;
  status: string;
  timeline: Array<{ from: string | null; to: string; cause: string; at: string }>;
}

export async function getOrder(base: string, order: CheckoutAnswer): Promise<OrderView> {
  const res = await http<OrderView>(base, 'GET', `/api/orders/${order.orderId}`, { headers: { 'x-order-token': order.orderToken } });
  if (res.status !== 200) throw new Error(`order ${order.orderId}: ${res.status} ${res.text}`);
  return res.body;
}

/** Polls until `check` returns a value (not undefined), or throws with `describe()` after the deadline. */
export async function eventually<T>(check: () => Promise<T | undefined>, describe: () => string | Promise<string>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not reached after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function waitForStatus(base: string, order: CheckoutAnswer, statuses: readonly string[], timeoutMs = 90_000): Promise<OrderView> {
  let last: OrderView | undefined;
  return eventually(
    async () => {
      last = await getOrder(base, order);
      return statuses.includes(last.status) ? last : undefined;
    },
    () => `order ${order.orderId} is ${last?.status}; timeline ${JSON.stringify(last?.timeline)}`,
    timeoutMs,
  );
}

export async function adminGet<T>(base: string, bearer: string, path: string): Promise<T> {
  const res = await http<T>(base, 'GET', path, { headers: { authorization: `Bearer ${bearer}` } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.body;
}

/** Waits until the event bus has nothing pending or in flight (admin stats), so late redeliveries have happened. */
export async function waitForQuietBus(base: string, bearer: string, timeoutMs = 90_000): Promise<void> {
  let last = '';
  await eventually(
    async () => {
      const stats = await adminGet<{ subscribers: Array<{ pending: number; processing: number }> }>(base, bearer, '/api/admin/events/stats');
      last = JSON.stringify(stats.subscribers);
      return stats.subscribers.every((s) => s.pending === 0 && s.processing === 0) ? true : undefined;
    },
    () => `event bus still busy: ${last}`,
    timeoutMs,
  );
}
