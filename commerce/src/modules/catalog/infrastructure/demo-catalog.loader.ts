import type { Sql } from '../../../shared/database/index.ts';
import type { DemoCatalog } from './demo-catalog.data.ts';

const DEMO_ACTOR = 'demo-seed';

/**
 * Writes the whole demo catalog with one statement per table (rows passed as one JSON
 * document), which keeps the first `npm start` on PGlite quick.
 */
export async function loadDemoCatalog(sql: Sql, catalog: DemoCatalog, now: Date): Promise<void> {
  const rows = (items: unknown[]) => [JSON.stringify(items), now];
  // Parents come first in the list, but one insert checks foreign keys only at its end anyway.
  await sql.query(
    `insert into catalog.categories (id, parent_id, slug, name, path, position, created_at, updated_at)
     select id, "parentId", slug, name, path, position, $2, $2
     from jsonb_to_recordset($1::jsonb) as x(id uuid, "parentId" uuid, slug text, name text, path text, position int)`,
    rows(catalog.categories),
  );
  await sql.query(
    `insert into catalog.products (id, slug, name, description, status, category_id, images, created_at, updated_at)
     select id, slug, name, description, status, "categoryId", images, "createdAt", $2
     from jsonb_to_recordset($1::jsonb)
       as x(id uuid, slug text, name text, description text, status text, "categoryId" uuid, images jsonb, "createdAt" timestamptz)`,
    rows(catalog.products),
  );
  await sql.query(
    `insert into catalog.variants (id, product_id, sku, options, price_minor, currency, weight_grams, on_hand, position, created_at, updated_at)
     select id, "productId", sku, options, "priceMinor", currency, "weightGrams", "onHand", position, "createdAt", $2
     from jsonb_to_recordset($1::jsonb)
       as x(id uuid, "productId" uuid, sku text, options jsonb, "priceMinor" bigint, currency text, "weightGrams" int, "onHand" int, position int, "createdAt" timestamptz)`,
    rows(catalog.variants),
  );
  // Opening stock goes through the audit trail like any other stock movement.
  await sql.query(
    `insert into catalog.stock_adjustments (id, variant_id, delta, reason, actor_id, on_hand_after, created_at)
     select md5('demo-stock:' || v.id::text)::uuid, v.id, v.on_hand, 'opening stock', $1, v.on_hand, v.created_at
     from catalog.variants v where v.on_hand > 0`,
    [DEMO_ACTOR],
  );
  await sql.query(
    `update catalog.products p set (from_price_minor, from_price_currency) = (
       select v.price_minor, v.currency from catalog.variants v where v.product_id = p.id order by v.price_minor, v.id limit 1
     )`,
  );
}
