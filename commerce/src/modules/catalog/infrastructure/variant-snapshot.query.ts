import type { Sql } from '../../../shared/database/index.ts';
import type { VariantSnapshot } from '../application/catalog-api.ts';
import type { VariantSnapshotQuery } from '../application/ports/variant-snapshot.query.ts';

interface SnapshotRow {
  id: string;
  product_id: string;
  sku: string;
  product_name: string;
  options: Record<string, string>;
  price_minor: number;
  currency: string;
  available: number;
  purchasable: boolean;
  image_url: string | null;
  weight_grams: number;
}

/** All requested variants in one round trip, whatever their number. */
export async function variantSnapshots(sql: Sql, ids: readonly string[]): Promise<VariantSnapshot[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql.query<SnapshotRow>(
    `select v.id, v.product_id, v.sku, p.name as product_name, v.options, v.price_minor, v.currency,
            greatest(v.on_hand - v.reserved, 0) as available, p.status = 'published' as purchasable,
            p.images ->> 0 as image_url, v.weight_grams
     from catalog.variants v join catalog.products p on p.id = v.product_id
     where v.id in (select value::uuid from jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(ids)],
  );
  return rows.map((row) => ({
    variantId: row.id,
    productId: row.product_id,
    sku: row.sku,
    productName: row.product_name,
    options: row.options,
    priceMinor: row.price_minor,
    currency: row.currency,
    available: row.available,
    purchasable: row.purchasable,
    imageUrl: row.image_url,
    weightGrams: row.weight_grams,
  }));
}

/** The VariantSnapshotQuery port over PostgreSQL/PGlite. */
export const variantSnapshotQuery: VariantSnapshotQuery = { variantSnapshots };
