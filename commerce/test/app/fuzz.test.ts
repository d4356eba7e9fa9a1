import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommerceApp } from '../../src/app.ts';
import { ADMIN, bearerFor, startTestCommerce } from '../support/commerce-app.ts';

let app: CommerceApp;
let routes: Array<{ method: string; path: string }>;
const tokens: Record<string, string> = {};
let knownIds: string[] = [];

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
}, 180_000);

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
