import type { CustomerQueries, CustomerRow } from './ports/customer-directory.port.ts';

export interface CustomerPage {
  customers: CustomerRow[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

const encode = (c: CustomerRow) => Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.id])).toString('base64url');

function decode(cursor: string): { createdAt: Date; id: string } | null {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const createdAt = new Date(String(at));
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) return null;
    return { createdAt, id };
  } catch {
    return null;
  }
}

/** Newest first, keyset paginated: a page boundary neither skips nor repeats a customer as new ones sign up. Null: a bad cursor. */
export async function listCustomers(
  queries: CustomerQueries,
  query: { search?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<CustomerPage | null> {
  const after = query.cursor === undefined ? undefined : decode(query.cursor);
  if (after === null) return null;
  const rows = await queries.list({ search: query.search, after, limit: query.limit + 1 });
  const customers = rows.slice(0, query.limit);
  const last = customers.at(-1);
  return { customers, nextCursor: rows.length > query.limit && last ? encode(last) : null };
}
