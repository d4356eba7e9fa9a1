import type { Tenant } from './tenant.ts';

export interface TenantPageQuery {
  /** Case-insensitive part of the id or the name. */
  q?: string;
  /** The last id of the previous page (ids are unique and listed in order). */
  after?: string;
  limit?: number;
}

/**
 * One page of tenants, in id order, and the cursor of the next page if there is one. The store
 * lists every tenant anyway (a set and one multi-get); paging here keeps pages and answers small.
 */
export function pageOfTenants(tenants: readonly Tenant[], query: TenantPageQuery): { tenants: Tenant[]; next?: string } {
  const q = query.q?.trim().toLowerCase();
  const matching = tenants.filter(
    (t) => (query.after === undefined || t.id > query.after) && (!q || t.id.includes(q) || t.name.toLowerCase().includes(q)),
  );
  if (query.limit === undefined || matching.length <= query.limit) return { tenants: matching };
  const page = matching.slice(0, query.limit);
  return { tenants: page, next: page[page.length - 1]!.id };
}
