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
