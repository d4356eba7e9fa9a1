/** A position in a list sorted newest first on (createdAt, id): the last row a page showed. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

/** The opaque `nextCursor` a client sends back for the next page. */
export const encodeCursor = (row: KeysetPosition): string => Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');

/** The position a cursor names, or null for anything that is not one of ours (a 400 for the caller). */
export function decodeCursor(cursor: string): KeysetPosition | null {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const createdAt = new Date(String(at));
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) return null;
    return { createdAt, id };
  } catch {
    return null;
  }
}

/**
 * One page from `limit + 1` rows fetched: the rows to show, and the cursor of the next page (null on the last).
 *
 * @example
 * const rows = await repo.list({ after, limit: limit + 1 });
 * const { items, nextCursor } = pageOf(rows, limit);
 */
export function pageOf<T extends KeysetPosition>(rows: readonly T[], limit: number): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
