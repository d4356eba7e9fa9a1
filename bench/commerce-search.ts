/**
 * Catalog search at scale: GET /api/products?q=... (full-text, ranked; misspelt words corrected
 * through pg_trgm; facets) against the commerce app on REAL PostgreSQL (a child process, as
 * `npm start` runs it) holding the demo catalog plus PRODUCTS products (3 variants each) written
 * straight into its tables. The shopper read cache is off (CATALOG_CACHE_TTL_MS=0), so every request
 * runs its SQL: these are the figures of a cache miss.
 *
 *   npm run bench:search        (PRODUCTS=10000 BENCH_SECONDS=5 BENCH_CONCURRENCY=8 by default)
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, runTs, waitFor } from '../commerce/test/support/process.ts';
import { productListingQuery } from '../commerce/src/modules/catalog/infrastructure/product-listing.query.ts';
import { createPgDatabase } from '../commerce/src/shared/database/index.ts';
import { freshPostgresDatabase } from './lib/engines.ts';
import { explainingSql } from './lib/explain-sql.ts';
import { printResults, runLoad, type LoadResult } from './lib/load.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const productCount = Number(process.env.PRODUCTS ?? 10_000);

const ADJECTIVES = ['Classic', 'Urban', 'Alpine', 'Coastal', 'Nordic', 'Vintage', 'Everyday', 'Trail', 'Studio', 'Summit', 'Harbor', 'Meadow', 'Granite', 'Willow'];
const COLOURS = ['Black', 'White', 'Navy', 'Olive', 'Sand', 'Rust', 'Grey', 'Teal', 'Amber', 'Plum'];
const MATERIALS = ['cotton', 'wool', 'linen', 'recycled polyester', 'leather', 'ceramic', 'bamboo', 'canvas', 'steel'];
const USES = ['city walks', 'long hikes', 'rainy days', 'the office', 'weekend trips', 'quiet evenings'];
const SIZES = ['S', 'M', 'L'];

const QUERIES = {
  'one word': ['hoodie', 'lamp', 'backpack', 'wool', 'navy', 'boots', 'mug', 'tent'],
  'two words': ['navy hoodie', 'wool jacket', 'trail boot', 'ceramic mug', 'olive backpack', 'linen cushion'],
  'misspelt (corrected)': ['hoddie', 'backpak', 'jakcet', 'cerammic mug', 'sandl', 'lampp'],
  'nothing to find': ['xqzvw', 'submarine'],
};

const database = await freshPostgresDatabase();
const port = await freePort();
const app = runTs('commerce/src/main.ts', {
  COMMERCE_PORT: String(port),
  DATABASE_URL: database.url,
  DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-search-')),
  SEED_DEMO_DATA: 'true',
  CATALOG_CACHE_TTL_MS: '0',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_MAX: '1000000000',
  DATABASE_POOL_SIZE: String(Math.min(concurrency * 2, 20)),
});
const base = `http://127.0.0.1:${port}`;
const db = new pg.Client({ connectionString: database.url });
if (process.env.BENCH_KEEP) console.log(`database kept: ${database.url}`);
try {
  await waitFor(`${base}/ready`, 120_000);
  await db.connect();
  const leaves = (await db.query<{ id: string; name: string }>(`select id, name from catalog.categories where parent_id is not null order by path`)).rows;
  const started = performance.now();
  for (let from = 0; from < productCount; from += 1_000) {
    const rows = Array.from({ length: Math.min(1_000, productCount - from) }, (_, k) => {
      const i = from + k;
      const leaf = leaves[i % leaves.length]!;
      const noun = leaf.name.replace(/s$/, '');
      const name = `${ADJECTIVES[(i >> 3) % ADJECTIVES.length]} ${COLOURS[(i * 7) % COLOURS.length]} ${noun}`;
      const description = `A ${MATERIALS[i % MATERIALS.length]} ${noun.toLowerCase()} made for ${USES[(i * 5) % USES.length]}.`;
      return { slug: `bench-${i}`, name, description, category: leaf.id, price: 1000 + ((i * 37) % 20_000) };
    });
    await db.query(
      `with p as (
         insert into catalog.products (id, slug, name, description, status, category_id, from_price_minor, from_price_currency, created_at, updated_at)
         select gen_random_uuid(), s, n, d, 'published', c::uuid, pr, 'EUR', now() - (o || ' seconds')::interval, now()
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) with ordinality as t(s, n, d, c, pr, o)
         returning id, slug, from_price_minor)
       insert into catalog.variants (id, product_id, sku, options, price_minor, currency, weight_grams, on_hand, position, created_at, updated_at)
       select gen_random_uuid(), p.id, p.slug || '-' || z.size, jsonb_build_object('size', z.size), p.from_price_minor + z.pos * 100, 'EUR', 300,
              (abs(hashtext(p.slug || z.size)) % 12), z.pos, now(), now()
       from p cross join unnest($6::text[]) with ordinality as z(size, pos)`,
      [rows.map((r) => r.slug), rows.map((r) => r.name), rows.map((r) => r.description), rows.map((r) => r.category), rows.map((r) => r.price), SIZES],
    );
  }
  await db.query('analyze');
  const total = (await db.query<{ n: number }>(`select count(*)::int as n from catalog.products`)).rows[0]!.n;
  const words = (await db.query<{ n: number }>(`select count(*)::int as n from catalog.search_words`)).rows[0]!.n;
  console.log(`catalog: ${total} products, ${words} search words; ${productCount} written in ${Math.round(performance.now() - started)} ms`);

  // What each query costs PostgreSQL alone (EXPLAIN ANALYZE execution time), and its plan with BENCH_PLANS=1.
  const explained = await createPgDatabase(database.url, 1);
  try {
    const { sql, plans } = explainingSql(explained);
    await productListingQuery.queryProducts(sql, { limit: 24, sort: 'newest' }, null);
    await productListingQuery.queryProducts(sql, { limit: 24, sort: 'price_asc', category: 'clothing' }, null);
    for (const q of ['hoodie', 'navy hoodie']) {
      await productListingQuery.queryProducts(sql, { q, limit: 24, sort: 'relevance' }, null);
      await productListingQuery.queryOptionFacets(sql, { q, limit: 24 });
      await productListingQuery.queryCategoryFacets(sql, { q, limit: 24 });
    }
    await productListingQuery.suggestSpelling(sql, 'hoddie');
    const names = ['newest page', 'clothing by price', 'q=hoodie', '  option facets', '  category facets', 'q=navy hoodie', '  option facets', '  category facets', 'spelling of hoddie'];
    console.log('\nPostgreSQL execution time per query (EXPLAIN ANALYZE):');
    plans.forEach((p, i) => console.log(`  ${names[i]}: ${p.ms.toFixed(2)} ms${process.env.BENCH_PLANS ? `\n${p.plan}` : ''}`));
  } finally {
    await explained.close();
  }

  // A known answer before timing anything: the misspelling is corrected and finds hoodies.
  const probe = (await (await fetch(`${base}/api/products?q=hoddie&facets=true`)).json()) as { correctedQuery?: string; items: unknown[] };
  if (probe.correctedQuery !== 'hoodie' || probe.items.length === 0) throw new Error(`hoddie was not corrected: ${JSON.stringify(probe).slice(0, 300)}`);

  const pick = <T>(xs: readonly T[], i: number) => xs[i % xs.length]!;
  const results: LoadResult[] = [];
  const scenario = async (name: string, path: (w: number, i: number) => string) =>
    results.push(await runLoad({ name, baseUrl: base, concurrency, seconds, next: (w, i) => ({ method: 'GET', path: path(w, i) }) }));
  for (const [name, queries] of Object.entries(QUERIES)) {
    await scenario(name, (w, i) => `/api/products?limit=24&q=${encodeURIComponent(pick(queries, w + i))}`);
  }
  const typical = Object.values(QUERIES).flat();
  await scenario('typical mix with facets (search page)', (w, i) => `/api/products?limit=24&facets=true&q=${encodeURIComponent(pick(typical, w * 3 + i))}`);
  await scenario('typical mix in a category, in stock', (w, i) => `/api/products?limit=24&inStock=true&category=clothing&q=${encodeURIComponent(pick(typical, w * 3 + i))}`);
  console.log(`\n${new Date().toISOString()}  ${total} products, concurrency ${concurrency}, ${seconds}s per scenario, PostgreSQL, cache off, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  printResults(results);
} finally {
  await db.end().catch(() => undefined);
  app.child.kill('SIGTERM');
  await app.exited;
  if (!process.env.BENCH_KEEP) await database.drop();
}
