import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommerceApp } from '../../src/app.ts';
import { ADMIN, bearerFor, startTestCommerce } from '../support/commerce-app.ts';

let app: CommerceApp;
let routes: Array<{ method: string; path: string }>;
const tokens: Record<string, string> = {};
let knownIds: string[] = [];
/** Ids the valid bodies and paths below refer to, made in beforeAll. */
const made: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestCommerce();
  const spec = (await app.server.inject({ method: 'GET', url: '/docs/json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  routes = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
  await app.server.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: 'fuzz@test.shop', password: 'fuzz-password-1' },
  });
  tokens.customer = await bearerFor(app, 'fuzz@test.shop', 'fuzz-password-1');
  tokens.admin = await bearerFor(app, ADMIN.email, ADMIN.password);
  const products = (await app.server.inject({ method: 'GET', url: '/api/products?limit=5' })).json() as {
    items: Array<{ id: string }>;
  };
  knownIds = products.items.map((p) => p.id);

  const admin = { authorization: `Bearer ${tokens.admin}` };
  const customer = { authorization: `Bearer ${tokens.customer}` };
  const detail = (await app.server.inject({ method: 'GET', url: `/api/products/${knownIds[0]}` })).json() as { variants: Array<{ id: string }> };
  made.variant = detail.variants[0]!.id;
  made.product = (await app.server.inject({ method: 'POST', url: '/api/admin/products', headers: admin, payload: { slug: 'fuzz-product', name: 'Fuzz' } })).json().id;
  made.category = (await app.server.inject({ method: 'POST', url: '/api/admin/categories', headers: admin, payload: { slug: 'fuzz-category', name: 'Fuzz' } })).json().id;
  made.address = (await app.server.inject({ method: 'POST', url: '/api/me/addresses', headers: customer, payload: ADDRESS })).json().id;
  // A cart with a line, so checkout bodies travel past "cart empty" to the database.
  await app.server.inject({ method: 'POST', url: '/api/cart/items', headers: customer, payload: { variantId: made.variant, quantity: 1 } });
}, 180_000);

const ADDRESS = { name: 'Ada', line1: '1 Rue X', line2: 'Bât. B', city: 'Paris', postalCode: '75001', region: 'IDF', country: 'FR', phone: '+33 1 23' };

/** A valid body for every route that takes one, keyed as the OpenAPI document names the route. */
const VALID_BODIES: Record<string, { auth: 'none' | 'customer' | 'admin'; body: () => Record<string, unknown> }> = {
  'POST /api/admin/products': { auth: 'admin', body: () => ({ slug: 'a-product', name: 'A product', description: 'Text', status: 'draft', categoryId: made.category, images: ['https://example.com/a.jpg'] }) },
  'PATCH /api/admin/products/{id}': { auth: 'admin', body: () => ({ name: 'Renamed', description: 'Text', images: ['https://example.com/b.jpg'] }) },
  'POST /api/admin/products/{id}/variants': {
    auth: 'admin',
    body: () => ({ sku: 'FUZZ-1', options: { size: 'M', colour: 'Blue' }, priceMinor: 1000, currency: 'EUR', weightGrams: 100, onHand: 5, position: 1 }),
  },
  'PATCH /api/admin/variants/{id}': { auth: 'admin', body: () => ({ options: { size: 'L' }, priceMinor: 1200, currency: 'EUR' }) },
  'POST /api/admin/variants/{id}/stock-adjustments': { auth: 'admin', body: () => ({ delta: 1, reason: 'recount' }) },
  'POST /api/admin/categories': { auth: 'admin', body: () => ({ slug: 'a-category', name: 'A category', parentId: made.category, position: 1 }) },
  'PATCH /api/admin/categories/{id}': { auth: 'admin', body: () => ({ name: 'Renamed', position: 2 }) },
  'POST /api/auth/register': { auth: 'none', body: () => ({ email: 'new-shopper@test.shop', password: 'a long passphrase' }) },
  'POST /api/auth/login': { auth: 'none', body: () => ({ email: 'fuzz@test.shop', password: 'fuzz-password-1' }) },
  'PUT /api/me/password': { auth: 'customer', body: () => ({ currentPassword: 'fuzz-password-1', newPassword: 'another passphrase' }) },
  'POST /api/me/addresses': { auth: 'customer', body: () => ({ ...ADDRESS, isDefault: true }) },
  'PATCH /api/me/addresses/{id}': { auth: 'customer', body: () => ({ ...ADDRESS }) },
  'POST /api/cart/items': { auth: 'customer', body: () => ({ variantId: made.variant, quantity: 1 }) },
  'PATCH /api/cart/items/{variantId}': { auth: 'customer', body: () => ({ quantity: 1 }) },
  'POST /api/checkout': {
    auth: 'customer',
    body: () => ({ shippingAddress: { ...ADDRESS }, shippingOptionId: 'standard', paymentMethod: '4242424242424242', promotionCode: 'WELCOME10' }),
  },
  'POST /api/checkout/quote': { auth: 'customer', body: () => ({ promotionCode: 'WELCOME10', country: 'FR', subdivision: 'IDF', postalCode: '75001', shippingOptionId: 'standard' }) },
  'POST /api/admin/promotions': {
    auth: 'admin',
    body: () => ({ code: 'FUZZ10', name: 'Fuzz', kind: 'fixed_amount', value: 100, currency: 'EUR', minSubtotalMinor: 1000, startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-01-01T00:00:00Z', usageLimit: 5, perCustomerLimit: 1 }),
  },
  'POST /api/admin/shipments/{id}/advance': { auth: 'admin', body: () => ({ status: 'in_transit' }) },
  'POST /api/admin/orders/{id}/refunds': {
    auth: 'admin',
    body: () => ({ lines: [{ variantId: made.variant, quantity: 1 }], shipping: true, reason: 'arrived broken' }),
  },
  'POST /api/orders/{id}/returns': { auth: 'customer', body: () => ({ lines: [{ variantId: made.variant, quantity: 1 }], reason: 'too small' }) },
  'POST /api/admin/returns/{id}/approve': { auth: 'admin', body: () => ({ note: 'send it back' }) },
  'POST /api/admin/returns/{id}/refuse': { auth: 'admin', body: () => ({ note: 'worn' }) },
  'POST /api/admin/returns/{id}/receive': { auth: 'admin', body: () => ({ disposition: 'restock' }) },
  'POST /api/admin/events/dead-letters/replay': { auth: 'admin', body: () => ({ ids: [1, 2] }) },
  'POST /api/payments/{orderId}/sandbox-authentication': { auth: 'none', body: () => ({ result: 'approved' }) },
};

/** Where a path parameter of a body route points: something that exists, so the body is what gets tested. */
const PATH_IDS: Record<string, () => string> = {
  '/api/admin/products/{id}': () => made.product!,
  '/api/admin/products/{id}/variants': () => made.product!,
  '/api/admin/variants/{id}': () => made.variant!,
  '/api/admin/variants/{id}/stock-adjustments': () => made.variant!,
  '/api/admin/categories/{id}': () => made.category!,
  '/api/me/addresses/{id}': () => made.address!,
  '/api/cart/items/{variantId}': () => made.variant!,
};

/** Every place in a body (leaves, objects, arrays) as a path of keys. */
function places(value: unknown, path: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [path];
  const inner = Object.entries(value).flatMap(([key, v]) => places(v, [...path, key]));
  return path.length ? [path, ...inner] : inner;
}

function withValue(body: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  let target = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[path.at(-1)!] = value;
  return copy;
}

const deeplyNested = (levels: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = { a: [value] };
  return value;
};

/** What each field gets instead of its valid value: the inputs that found 500s schema fuzzing missed. */
const HOSTILE: Array<{ name: string; value: unknown; refusedAsText?: boolean }> = [
  { name: 'lone high surrogate', value: 'a\ud800b', refusedAsText: true },
  { name: 'lone low surrogate', value: '\udc00', refusedAsText: true },
  { name: 'NUL', value: 'a\u0000b', refusedAsText: true },
  { name: 'huge string', value: 'x'.repeat(200_000) },
  { name: 'number', value: 12345 },
  { name: 'negative float', value: -1.5 },
  { name: 'null', value: null },
  { name: 'boolean', value: true },
  { name: 'array', value: ['x'] },
  { name: 'object', value: { x: 1 } },
  { name: 'deep nesting', value: deeplyNested(400) },
];

afterAll(async () => {
  await app?.close();
});

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constant('\u0000'), fc.constant('-1'));

describe('every commerce route under random and malformed input', () => {
  it('has routes to fuzz', () => {
    // catalog, users and cart at least; a broken OpenAPI document would make this fuzz vacuous
    expect(routes.length).toBeGreaterThan(25);
  });

  it('never answers 5xx and never crashes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.constantFrom('none', 'customer', 'admin', 'garbage'),
        fc.oneof(fc.uuid(), text, fc.constantFrom(...(knownIds.length ? knownIds : ['x']))),
        fc.dictionary(fc.constantFrom('limit', 'cursor', 'q', 'sort', 'category', 'minPrice', 'maxPrice', 'status', 'country'), text, { maxKeys: 3 }),
        fc.oneof(
          jsonValue.map((v) => ({ type: 'application/json', body: JSON.stringify(v) })),
          fc.string({ maxLength: 60 }).map((s) => ({ type: 'application/json', body: s })),
          fc.string({ maxLength: 60 }).map((s) => ({ type: 'text/plain', body: s })),
          fc.constant({ type: 'application/json', body: '' }),
        ),
        async (routeIndex, auth, param, query, payload) => {
          const route = routes[routeIndex % routes.length]!;
          const url = route.path.replace(/\{[^}]+\}/g, encodeURIComponent(param));
          const headers: Record<string, string> = { 'idempotency-key': 'fuzz-key' };
          if (auth === 'customer' || auth === 'admin') headers.authorization = `Bearer ${tokens[auth]}`;
          if (auth === 'garbage') headers.authorization = 'Bearer nonsense';
          const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
          if (hasBody) headers['content-type'] = payload.type;
          const res = await app.server.inject({
            method: route.method as 'GET',
            url,
            query,
            headers,
            ...(hasBody ? { payload: payload.body } : {}),
          });
          if (res.statusCode >= 500) {
            throw new Error(`${route.method} ${url} ${JSON.stringify(query)} -> ${res.statusCode} ${res.body}`);
          }
        },
      ),
      { numRuns: 1500 },
    );
    expect((await app.server.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  }, 240_000);
});

describe('the OpenAPI document', () => {
  it('lists the rate-limit (429) and load-shedding (503) answers on every API route when the guards are on', async () => {
    const guarded = await startTestCommerce({ RATE_LIMIT_MAX: '100', SHED_EVENT_LOOP_DELAY_MS: '1000' });
    try {
      const spec = (await guarded.server.inject({ method: 'GET', url: '/docs/json' })).json() as {
        openapi: string;
        paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      };
      expect(spec.openapi).toBe('3.1.0');
      const operations = Object.entries(spec.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method} ${path}`, op })));
      expect(operations.length).toBeGreaterThan(25);
      expect(operations.filter(({ op }) => !op.responses['429'] || !op.responses['503']).map((o) => o.route)).toEqual([]);
    } finally {
      await guarded.close();
    }
  }, 240_000);
});

describe('every commerce route with a body, one field at a time from a valid body', () => {
  it('has a valid body for every route that takes a JSON one', async () => {
    const spec = (await app.server.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
    };
    // Binary bodies (a product image) have no fields to walk; their own tests send hostile bytes (commerce/test/audit).
    const withBody = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).filter(([, op]) => op.requestBody?.content?.['application/json']).map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(withBody.length).toBeGreaterThan(10);
    expect(withBody.filter((route) => !VALID_BODIES[route])).toEqual([]);
  });

  it('refuses NUL and lone surrogates with 400 naming the field, and never answers 5xx to any hostile value', async () => {
    // The random fuzz above may have logged these sessions out.
    tokens.customer = await bearerFor(app, 'fuzz@test.shop', 'fuzz-password-1');
    tokens.admin = await bearerFor(app, ADMIN.email, ADMIN.password);
    const failures: string[] = [];
    let sent = 0;
    for (const [route, valid] of Object.entries(VALID_BODIES)) {
      const [method, pathPattern] = route.split(' ') as [string, string];
      const url = pathPattern.replace(/\{[^}]+\}/, () => PATH_IDS[pathPattern]?.() ?? randomUUID());
      const body = valid.body();
      for (const place of places(body)) {
        for (const hostile of HOSTILE) {
          const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': `fuzz-${++sent}` };
          if (valid.auth !== 'none') headers.authorization = `Bearer ${tokens[valid.auth]}`;
          const res = await app.server.inject({ method: method as 'POST', url, headers, payload: JSON.stringify(withValue(body, place, hostile.value)) });
          const field = ['body', ...place].join('.');
          const what = `${route} ${field} = ${hostile.name}: ${res.statusCode} ${res.body.slice(0, 200)}`;
          if (res.statusCode >= 500) failures.push(what);
          else if (hostile.refusedAsText && (res.statusCode !== 400 || !res.json().message.startsWith(`${field}:`))) failures.push(what);
        }
      }
    }
    expect(sent).toBeGreaterThan(300);
    expect(failures).toEqual([]);
    expect((await app.server.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  }, 300_000);
});
