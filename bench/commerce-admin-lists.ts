/**
 * Back-office lists at scale: the admin order list (first page, a page 4,000 orders deep by keyset
 * cursor, filtered by status and dates, by email, by order number), the order detail, and the
 * customer search, against the commerce app on REAL PostgreSQL (a child process, as `npm start`
 * runs it) holding ORDERS orders and CUSTOMERS customers written straight into its tables.
 * Also prints the plans of the deep page and the email filter, to show they stay on indexes.
 *
 *   npm run bench:admin-lists        (ORDERS=50000 CUSTOMERS=10000 BENCH_SECONDS=6 BENCH_CONCURRENCY=8 by default)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, runTs, waitFor } from '../commerce/test/support/process.ts';
import { freshPostgresDatabase } from './lib/engines.ts';
import { printResults, runLoad, type LoadResult } from './lib/load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 6);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const orders = Number(process.env.ORDERS ?? 50_000);
const customers = Number(process.env.CUSTOMERS ?? 10_000);
const ADMIN = { email: 'bench-admin@bench.test', password: 'bench-admin-password' };

const database = await freshPostgresDatabase();
const port = await freePort();
const app = runTs('commerce/src/main.ts', {
  COMMERCE_PORT: String(port),
  DATABASE_URL: database.url,
  DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-admin-')),
  SEED_DEMO_DATA: 'false',
  LOG_LEVEL: 'warn',
  ADMIN_EMAIL: ADMIN.email,
  ADMIN_PASSWORD: ADMIN.password,
  RATE_LIMIT_MAX: '1000000000',
  DATABASE_POOL_SIZE: String(Math.min(concurrency * 2, 20)),
});
const base = `http://127.0.0.1:${port}`;
const db = new pg.Client({ connectionString: database.url });
try {
  await waitFor(`${base}/ready`);
  await db.connect();
  const seeded = performance.now();
  // Fixture rows, written in two statements: a year of orders over every status, customers with plain emails.
  await db.query(
    `insert into users.users (id, email, password_hash, role, created_at, updated_at)
     select gen_random_uuid(), 'customer' || n || '@bench.test', 'x', 'customer', now() - (n || ' minutes')::interval, now()
       from generate_series(1, $1) n`,
    [customers],
  );
  await db.query(
    `insert into orders.orders (id, status, user_id, owner_key, email, currency, subtotal_minor, shipping_minor, total_minor, lines,
       shipping_address, shipping_option, paid_minor, checkout_identity, created_at, updated_at)
     select gen_random_uuid(),
            (array['pending_payment','paid','fulfilled','shipped','delivered','payment_failed','cancelled','refunded'])[1 + n % 8],
            null, 'guest:' || n, 'customer' || (n % $2) || '@bench.test', 'EUR', 2000, 490, 2490,
            jsonb_build_array(jsonb_build_object('variantId', gen_random_uuid(), 'productId', gen_random_uuid(), 'sku', 'SKU-' || n,
              'name', 'Item ' || n, 'quantity', 1, 'unitPriceMinor', 2000, 'weightGrams', 300)),
            '{"name":"A","line1":"1 St","city":"Paris","postalCode":"75001","country":"FR"}',
            '{"id":"standard","name":"Standard","priceMinor":490}', 0, 'bench:' || n,
            now() - (n * 31536 / $1 || ' seconds')::interval * 1000, now()
       from generate_series(1, $1) n`,
    [orders, customers],
  );
  await db.query('analyze');
  console.log(`seeded ${orders} orders and ${customers} customers in ${Math.round(performance.now() - seeded)} ms`);

  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
  const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
  const get = async <T>(path: string) => (await (await fetch(`${base}${path}`, { headers: auth })).json()) as T;

  // A cursor 4,000 orders deep, reached the way a client does: page after page.
  let deep: string | null = null;
  for (let page = 0; page < 40; page++) {
    deep = (await get<{ nextCursor: string | null }>(`/api/admin/orders?limit=100${deep ? `&cursor=${deep}` : ''}`)).nextCursor;
  }
  const sample = (await get<{ orders: Array<{ id: string; orderNumber: string }> }>('/api/admin/orders?limit=100')).orders;
  const month = { from: new Date(Date.now() - 60 * 86_400_000).toISOString(), to: new Date(Date.now() - 30 * 86_400_000).toISOString() };
  const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;

  const scenarios: Array<[string, (w: number, i: number) => string]> = [
    ['orders: newest page (25)', () => '/api/admin/orders?limit=25'],
    ['orders: page 4,000 deep (keyset cursor)', () => `/api/admin/orders?limit=25&cursor=${deep}`],
    ['orders: status + month', (w, i) => `/api/admin/orders?limit=25&status=${pick(['paid', 'shipped', 'refunded'], w + i)}&from=${month.from}&to=${month.to}`],
    ['orders: by email', (w, i) => `/api/admin/orders?limit=25&email=customer${(w * 997 + i) % customers}@bench.test`],
    ['orders: by order number', (w, i) => `/api/admin/orders?number=${pick(sample, w * 7 + i).orderNumber}`],
    ['order detail', (w, i) => `/api/admin/orders/${pick(sample, w * 5 + i).id}`],
    ['customers: email search (contains)', (w, i) => `/api/admin/customers?limit=25&search=${(w * 31 + i) % 1000}3`],
  ];
  const results: LoadResult[] = [];
  for (const [name, path] of scenarios) {
    results.push(await runLoad({ name, baseUrl: base, concurrency, seconds, next: (w, i) => ({ method: 'GET', path: path(w, i), headers: auth }) }));
  }
  console.log(`\n${new Date().toISOString()}  ${orders} orders, ${customers} customers, concurrency ${concurrency}, ${seconds}s per scenario, PostgreSQL, 1 app process`);
  printResults(results);

  const decoded = JSON.parse(Buffer.from(deep ?? '', 'base64url').toString('utf8')) as [string, string];
  for (const [what, sql, params] of [
    ['deep page', `select id from orders.orders where (created_at, id) < ($1, $2) order by created_at desc, id desc limit 26`, decoded],
    ['email filter', `select id from orders.orders where lower(email) = lower($1) order by created_at desc, id desc limit 26`, ['customer42@bench.test']],
  ] as const) {
    const plan = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, costs off) ${sql}`, [...params]);
    console.log(`\nplan, ${what}:\n${plan.rows.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}`);
  }
} finally {
  await db.end().catch(() => undefined);
  app.child.kill('SIGTERM');
  await app.exited;
  await database.drop();
}
