import type { TenantStore } from './tenant-store.ts';
import type { Tenant } from './tenant.ts';

export interface TenantPageQuery {
  /** Case-insensitive part of the id or the name. */
  q?: string;
  /** The last id of the previous page (ids are unique and listed in order). */
  after?: string;
  limit?: number;
}

export interface TenantPage {
  tenants: Tenant[];
  /** The `after` of the next page, when there is one. */
  next?: string;
}

// Code-unit order, the same on every adapter and the order `after` compares in.
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One page of tenants in id order. Without a filter only the ids are listed and the page's
 * tenants read (one multi-get in Redis); a filter on names has to read every tenant.
 */
export async function pageOfTenants(store: TenantStore, query: TenantPageQuery): Promise<TenantPage> {
  const q = query.q?.trim().toLowerCase();
  const after = (id: string) => query.after === undefined || id > query.after;
  if (q) {
    const matching = (await store.listTenants())
      .filter((t) => after(t.id) && (t.id.includes(q) || t.name.toLowerCase().includes(q)))
      .sort((a, b) => byId(a.id, b.id));
    const page = query.limit === undefined ? matching : matching.slice(0, query.limit);
    return { tenants: page, ...(page.length < matching.length ? { next: page[page.length - 1]!.id } : {}) };
  }
  const ids = (await store.listTenantIds()).filter(after).sort(byId);
  const pageIds = query.limit === undefined ? ids : ids.slice(0, query.limit);
  return { tenants: await store.getTenants(pageIds), ...(pageIds.length < ids.length ? { next: pageIds[pageIds.length - 1]! } : {}) };
}
