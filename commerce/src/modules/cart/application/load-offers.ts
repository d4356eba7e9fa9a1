import type { CatalogApi, SnapshotFreshness, VariantSnapshot } from './ports/catalog.port.ts';

/**
 * The catalog's view of the given variants, in one call, keyed by id: `current` for what decides
 * (checkout, accepting changes), `recent` (maybe from the catalog's read cache) for showing a cart.
 */
export async function loadOffers(catalog: CatalogApi, variantIds: readonly string[], freshness: SnapshotFreshness = 'current'): Promise<Map<string, VariantSnapshot>> {
  if (variantIds.length === 0) return new Map();
  const snapshots = await catalog.getVariants([...new Set(variantIds)], freshness);
  return new Map(snapshots.map((snapshot) => [snapshot.variantId, snapshot]));
}
