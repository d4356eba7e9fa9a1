import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

interface DemoOrder {
  orderId: string;
  orderNumber: string;
  orderToken: string;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the API's answers, read field by field

/**
 * A delivered guest order with its invoice, made once through the public API on the first start
 * (kept in `file` so later starts show the same one): the storefront's order page then offers
 * "Request a return" and "Download invoice", and the back office has an order to return.
 */
export async function demoDeliveredOrder(commerceUrl: string, admin: { email: string; password: string }, file: string): Promise<DemoOrder> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoOrder;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Json> => {
    const res = await fetch(`${commerceUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Json;
  };
  const until = async <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 300; i++) {
      const value = await check();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`demo order: gave up waiting for ${what}`);
  };
  const { token } = await call('POST', '/api/auth/login', admin);
  const asAdmin = { authorization: `Bearer ${token}` };
  const product = (await call('GET', '/api/products?limit=1')).items[0];
  const variantId = (await call('GET', `/api/products/${product.id}`)).variants[0].id;
  const cart = await call('POST', '/api/cart/items', { variantId, quantity: 2 });
  const placed = await call(
    'POST',
    '/api/checkout',
    { email: 'demo-returns@example.com', shippingAddress: { name: 'Demo Shopper', line1: '12 Rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' }, shippingOptionId: 'standard', paymentMethod: '4242424242424242' },
    { 'x-cart-token': cart.cartToken, 'idempotency-key': `demo-${randomUUID()}` },
  );
  const shipment = await until('the label', async () => (await call('GET', `/api/admin/shipments?orderId=${placed.orderId}`, undefined, asAdmin)).shipments[0] as Json | undefined);
  await call('POST', `/api/admin/shipments/${shipment.id}/advance`, { status: 'delivered' }, asAdmin);
  await until('the invoice', async () => ((await call('GET', `/api/admin/orders/${placed.orderId}/invoices`, undefined, asAdmin)).documents.length > 0 ? true : undefined));
  const demo = { orderId: placed.orderId as string, orderNumber: placed.orderNumber as string, orderToken: placed.orderToken as string };
  writeFileSync(file, JSON.stringify(demo));
  return demo;
}
