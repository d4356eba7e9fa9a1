import { decodeCursor, pageOf } from '../../../shared/pagination/keyset-cursor.ts';
import type { CustomerQueries, CustomerRow } from './ports/customer-directory.port.ts';

export interface CustomerPage {
  customers: CustomerRow[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Newest first, keyset paginated: a page boundary neither skips nor repeats a customer as new ones sign up. Null: a bad cursor. */
export async function listCustomers(
  queries: CustomerQueries,
  query: { search?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<CustomerPage | null> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  if (after === null) return null;
  const { items, nextCursor } = pageOf(await queries.list({ search: query.search, after, limit: query.limit + 1 }), query.limit);
  return { customers: items, nextCursor };
}
