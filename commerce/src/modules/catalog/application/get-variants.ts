import { UUID_TEXT } from '../domain/identifiers.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { VariantSnapshot } from './catalog-api.ts';

/**
 * Snapshots for the given ids in one query. Ids that are not uuids cannot exist, so they are
 * dropped rather than handed to Postgres, which would reject the whole query.
 */
export async function getVariants(ctx: CatalogContext, ids: readonly string[]): Promise<VariantSnapshot[]> {
  const wanted = [...new Set(ids.filter((id) => UUID_TEXT.test(id)).map((id) => id.toLowerCase()))];
  return ctx.variantSnapshots.variantSnapshots(ctx.db, wanted);
}

/**
 * Snapshots as shown to a shopper filling a cart: from the read cache when it has them (any catalog
 * write or in-stock change clears it; units left may be up to the cache's TTL old), the others in
 * one query. Never for deciding: checkout asks `getVariants`, and the reservation is the guard.
 */
export async function getRecentVariants(ctx: CatalogContext, ids: readonly string[]): Promise<VariantSnapshot[]> {
  const cache = ctx.snapshotCache ?? ctx.readCache;
  if (!cache) return getVariants(ctx, ids);
  const wanted = [...new Set(ids.filter((id) => UUID_TEXT.test(id)).map((id) => id.toLowerCase()))];
  // `get` calls each miss's loader at once, so every miss of this call joins one query.
  const missed: string[] = [];
  let batch: Promise<Map<string, VariantSnapshot>> | undefined;
  const loadMissed = () =>
    (batch ??= Promise.resolve().then(async () => new Map((await ctx.variantSnapshots.variantSnapshots(ctx.db, missed)).map((s) => [s.variantId, s]))));
  const found = await Promise.all(
    wanted.map((id) =>
      cache.get(`variant:${id}`, () => {
        missed.push(id);
        return loadMissed().then((byId) => byId.get(id) ?? null);
      }),
    ),
  );
  return found.filter((snapshot): snapshot is VariantSnapshot => snapshot !== null);
}
