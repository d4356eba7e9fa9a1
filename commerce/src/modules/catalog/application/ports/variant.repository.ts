import type { Sql } from '../../../../shared/database/database.ts';
import type { AdminVariantView } from '../catalog.dto.ts';

export interface VariantRecord {
  id: string;
  productId: string;
  sku: string;
  options: Record<string, string>;
  priceMinor: number;
  currency: string;
  weightGrams: number;
  position: number;
}

/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface VariantRepository {
  insertVariant(sql: Sql, variant: VariantRecord, onHand: number, now: Date): Promise<void>;
  findVariant(sql: Sql, id: string, forUpdate?: boolean): Promise<AdminVariantView | null>;
  /** Stock columns are deliberately absent: stock moves only through audited adjustments. */
  updateVariantRow(sql: Sql, variant: VariantRecord, now: Date): Promise<void>;
  deleteVariantRow(sql: Sql, id: string): Promise<void>;
  /** Whether any variant of the product holds stock for an order; such products cannot be deleted. */
  productHasReservations(sql: Sql, productId: string): Promise<boolean>;
  variantsOfProduct(sql: Sql, productId: string): Promise<AdminVariantView[]>;
}
