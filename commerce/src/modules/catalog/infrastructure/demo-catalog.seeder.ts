import { generateDemoCatalog } from './demo-catalog.data.ts';
import { loadDemoCatalog } from './demo-catalog.loader.ts';
import type { CatalogContext } from '../application/catalog.context.ts';

/**
 * Loads the demo catalog into an empty catalog, once. Instances starting together queue on
 * an advisory lock, and whoever comes second finds products and does nothing.
 */
export async function seedDemoCatalog(ctx: CatalogContext): Promise<{ seeded: boolean; products: number }> {
  return ctx.db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('catalog:demo-seed'))`);
    const { rows } = await tx.query<{ used: boolean }>(
      `select exists (select 1 from catalog.products) or exists (select 1 from catalog.categories) as used`,
    );
    if (rows[0]?.used) return { seeded: false, products: 0 };
    const catalog = generateDemoCatalog();
    await loadDemoCatalog(tx, catalog, ctx.now());
    return { seeded: true, products: catalog.products.length };
  });
}
