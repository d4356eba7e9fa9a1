import type { Sql } from '../../../../shared/database/database.ts';

export interface LowStockVariant {
  variantId: string;
  sku: string;
  options: Record<string, string>;
  productId: string;
  productName: string;
  available: number;
}

export interface LowStockQuery {
  /** Variants of published products with at most `threshold` left to sell, fewest first. */
  lowStock(db: Sql, threshold: number, limit: number): Promise<LowStockVariant[]>;
}
