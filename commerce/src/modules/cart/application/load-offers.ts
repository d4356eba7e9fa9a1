import type { CatalogApi, VariantSnapshot } from './ports/catalog.port.ts';

/** The catalog's current view of the given variants, in one call, keyed by id. */
export async function loadOffers(catalog: CatalogApi, variantIds: readonly string[]): Promise<Map<string, VariantSnapshot>> {
  if (variantIds.length === 0) return new Map();
  const snapshots = await catalog.getVariants([...new Set(variantIds)]);
  return new Map(snapshots.map((snapshot) => [snapshot.variantId, snapshot]));
}
