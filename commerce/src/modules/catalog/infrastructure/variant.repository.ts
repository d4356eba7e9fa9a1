import type { Sql } from '../../../shared/database/index.ts';
import type { AdminVariantView } from '../application/catalog.dto.ts';
import { availableOf } from '../domain/stock.rules.ts';
import type { VariantRecord, VariantRepository } from '../application/ports/variant.repository.ts';


interface VariantRow {
  id: string;
  product_id: string;
  sku: string;
  options: Record<string, string>;
  price_minor: number;
  currency: string;
  weight_grams: number;
  on_hand: number;
  reserved: number;
  position: number;
  created_at: Date;
  updated_at: Date;
}

const VARIANT_COLUMNS =
  'id, product_id, sku, options, price_minor, currency, weight_grams, on_hand, reserved, position, created_at, updated_at';

const toAdminVariant = (row: VariantRow): AdminVariantView => ({
  id: row.id,
  productId: row.product_id,
  sku: row.sku,
  options: row.options,
  priceMinor: row.price_minor,
  currency: row.currency,
  weightGrams: row.weight_grams,
  onHand: row.on_hand,
  reserved: row.reserved,
  available: availableOf(row.on_hand, row.reserved),
  position: row.position,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export async function insertVariant(sql: Sql, variant: VariantRecord, onHand: number, now: Date): Promise<void> {
  await sql.query(
    `insert into catalog.variants (id, product_id, sku, options, price_minor, currency, weight_grams, on_hand, position, created_at, updated_at)
     values ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $10)`,
    [variant.id, variant.productId, variant.sku, JSON.stringify(variant.options), variant.priceMinor, variant.currency, variant.weightGrams, onHand, variant.position, now],
  );
}

export async function findVariant(sql: Sql, id: string, forUpdate = false): Promise<AdminVariantView | null> {
  const { rows } = await sql.query<VariantRow>(
    `select ${VARIANT_COLUMNS} from catalog.variants where id = $1${forUpdate ? ' for update' : ''}`,
    [id],
  );
  return rows[0] ? toAdminVariant(rows[0]) : null;
}

/** Stock columns are deliberately absent: stock moves only through audited adjustments. */
export async function updateVariantRow(sql: Sql, variant: VariantRecord, now: Date): Promise<void> {
  await sql.query(
    `update catalog.variants set sku = $2, options = $3::jsonb, price_minor = $4, currency = $5, weight_grams = $6, position = $7, updated_at = $8
     where id = $1`,
    [variant.id, variant.sku, JSON.stringify(variant.options), variant.priceMinor, variant.currency, variant.weightGrams, variant.position, now],
  );
}

export async function deleteVariantRow(sql: Sql, id: string): Promise<void> {
  await sql.query(`delete from catalog.variants where id = $1`, [id]);
}

/** Whether any variant of the product holds stock for an order; such products cannot be deleted. */
export async function productHasReservations(sql: Sql, productId: string): Promise<boolean> {
  const { rows } = await sql.query<{ reserved: boolean }>(
    `select exists (select 1 from catalog.variants where product_id = $1 and reserved > 0) as reserved`,
    [productId],
  );
  return rows[0]?.reserved ?? false;
}

export async function variantsOfProduct(sql: Sql, productId: string): Promise<AdminVariantView[]> {
  const { rows } = await sql.query<VariantRow>(
    `select ${VARIANT_COLUMNS} from catalog.variants where product_id = $1 order by position, sku`,
    [productId],
  );
  return rows.map(toAdminVariant);
}

/** The VariantRepository port over PostgreSQL/PGlite. */
export const variantRepository: VariantRepository = { insertVariant, findVariant, updateVariantRow, deleteVariantRow, productHasReservations, variantsOfProduct };
