import { Pool } from 'undici';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** Keep-alive HTTP to one app over loopback (undici, so the generator spends little CPU per request). */
export function httpClient(base: string, connections: number) {
  const url = new URL(base);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new Error('benchmarks target loopback only');
  const pool = new Pool(url.origin, { connections, pipelining: 1 });
  return {
    async call(method: 'GET' | 'POST', path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
      const res = await pool.request({
        method,
        path,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    close: () => pool.close(),
  };
}
export type HttpClient = ReturnType<typeof httpClient>;

/** Every guest cart token handed out, so the run can delete its leftovers by exact key. */
export const cartTokens: string[] = [];

export const PAID = new Set(['paid', 'fulfilled', 'shipped', 'delivered']);
const ADDRESS = { name: 'Bench Shopper', line1: '1 rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' };

export interface Timeline {
  status: string;
  timeline: Array<{ to: string; at: string }>;
}

/** Server-side delay from the order's creation to its `paid` step, in ms; undefined while not paid. */
export function paidDelay(order: Timeline): number | undefined {
  const created = order.timeline.find((s) => s.to === 'pending_payment');
  const paid = order.timeline.find((s) => s.to === 'paid');
  return created && paid ? Date.parse(paid.at) - Date.parse(created.at) : undefined;
}

export interface ShopperOutcome {
  /** The checkout request alone, ms. */
  checkoutMs: number;
  /** 202 answered; otherwise the status. */
  status: number;
  /** The order's final polled state: paid (or later), cancelled, payment_failed. */
  final?: string;
  /** From the order's timeline. */
  toPaidMs?: number;
  /** Order reads until the final state. */
  polls: number;
  /** The order, when checkout answered 202. */
  placed?: { orderId: string; orderToken: string };
}

/**
 * One shopper's visit: the product list, one product, two items into a fresh guest cart (the
 * second a different product from the list), the shipping options for the cart, checkout with the
 * sandbox card (202), then the order polled every `pollMs` until it is paid (or failed).
 */
export async function shopOnce(http: HttpClient, n: number, pollMs: number): Promise<ShopperOutcome> {
  const list = await http.call('GET', '/api/products?limit=20');
  if (list.status !== 200) throw new Error(`list: ${list.status}`);
  const items = list.body.items as Array<{ id: string; defaultVariantId: string | null }>;
  const first = items[n % items.length]!;
  const second = items[(n + 7) % items.length]!;
  const detail = await http.call('GET', `/api/products/${first.id}`);
  if (detail.status !== 200) throw new Error(`product: ${detail.status}`);
  const added = await http.call('POST', '/api/cart/items', {}, { variantId: first.defaultVariantId, quantity: 1 });
  if (added.status >= 300) throw new Error(`add: ${added.status} ${JSON.stringify(added.body)}`);
  const cart = { 'x-cart-token': String(added.body.cartToken) };
  cartTokens.push(cart['x-cart-token']);
  const again = await http.call('POST', '/api/cart/items', cart, { variantId: second.defaultVariantId, quantity: 1 });
  if (again.status >= 300) throw new Error(`add: ${again.status} ${JSON.stringify(again.body)}`);
  const quote = new URLSearchParams({
    country: 'FR',
    postalCode: '75001',
    weightGrams: '1000',
    subtotalMinor: String(again.body.subtotalMinor),
    currency: String(again.body.currency ?? 'EUR'),
  });
  const options = await http.call('GET', `/api/shipping/options?${quote}`);
  if (options.status !== 200) throw new Error(`shipping options: ${options.status} ${JSON.stringify(options.body)}`);
  const shippingOptionId = (options.body.options as Array<{ id: string }>)[0]!.id;

  const t0 = performance.now();
  const placed = await http.call(
    'POST',
    '/api/checkout',
    { ...cart, 'idempotency-key': `bench-${n}-${t0}` },
    { email: `shopper-${n}@bench.example`, shippingAddress: ADDRESS, shippingOptionId, paymentMethod: '4242424242424242' },
  );
  const checkoutMs = performance.now() - t0;
  if (placed.status !== 202) return { checkoutMs, status: placed.status, polls: 0 };
  const order = placed.body as { orderId: string; orderToken: string };
  const { orderId, orderToken } = order;
  for (let polls = 1; ; polls++) {
    await new Promise((r) => setTimeout(r, pollMs));
    const read = await http.call('GET', `/api/orders/${orderId}`, { 'x-order-token': orderToken });
    if (read.status !== 200) continue;
    const seen = read.body as unknown as Timeline;
    if (PAID.has(seen.status)) return { checkoutMs, status: 202, final: 'paid', toPaidMs: paidDelay(seen), polls, placed: order };
    if (seen.status === 'cancelled' || seen.status === 'payment_failed') return { checkoutMs, status: 202, final: seen.status, polls, placed: order };
  }
}

/** Sets every variant of the first 20 listed products to `onHand` (far beyond what a run sells), through the admin API. */
export async function stockListedProducts(http: HttpClient, bearer: Record<string, string>, onHand = 1_000_000): Promise<void> {
  const page = await http.call('GET', '/api/products?limit=20');
  for (const { id } of page.body.items as Array<{ id: string }>) {
    const detail = await http.call('GET', `/api/admin/products/${id}`, bearer);
    for (const v of detail.body.variants as Array<{ id: string; onHand: number }>) {
      const adj = await http.call('POST', `/api/admin/variants/${v.id}/stock-adjustments`, bearer, { delta: onHand - v.onHand, reason: 'benchmark stock' });
      if (adj.status !== 201) throw new Error(`stock adjustment: ${adj.status} ${JSON.stringify(adj.body)}`);
    }
  }
}
