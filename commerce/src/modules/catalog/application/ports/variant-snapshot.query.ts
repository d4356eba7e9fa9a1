import type { Sql } from '../../../../shared/database/database.ts';
import type { VariantSnapshot } from '../catalog-api.ts';


/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface VariantSnapshotQuery {
  /** All requested variants in one round trip, whatever their number. */
  variantSnapshots(sql: Sql, ids: readonly string[]): Promise<VariantSnapshot[]>;
}
