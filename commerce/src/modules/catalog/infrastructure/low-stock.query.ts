import type { LowStockQuery } from '../application/ports/low-stock.query.ts';

export const lowStockQuery: LowStockQuery = {
  async lowStock(db, threshold, limit) {
    const { rows } = await db.query<{ id: string; sku: string; options: Record<string, string>; product_id: string; name: string; available: number }>(
      `select v.id, v.sku, v.options, v.product_id, p.name, v.on_hand - v.reserved as available
         from catalog.variants v join catalog.products p on p.id = v.product_id
        where v.on_hand - v.reserved <= $1 and p.status = 'published'
        order by v.on_hand - v.reserved, v.sku
        limit $2`,
      [threshold, limit],
    );
    return rows.map((r) => ({ variantId: r.id, sku: r.sku, options: r.options, productId: r.product_id, productName: r.name, available: Number(r.available) }));
  },
};
