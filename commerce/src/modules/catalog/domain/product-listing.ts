import { catalogError, type CatalogError } from './catalog.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';

export const PRODUCT_SORTS = ['newest', 'price_asc', 'price_desc', 'name', 'relevance'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/**
 * Where the previous page ended: the sort key of its last row plus the id that breaks ties.
 * `key` is an ISO timestamp, a price, a lower-cased name or a rank, depending on the sort.
 */
export interface ProductCursor {
  sort: ProductSort;
  key: number | string;
  id: string;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const KEY_CHECKS: Record<ProductSort, (key: unknown) => boolean> = {
  newest: (key) => typeof key === 'string' && ISO_TIMESTAMP.test(key) && !Number.isNaN(Date.parse(key)),
  price_asc: (key) => Number.isSafeInteger(key),
  price_desc: (key) => Number.isSafeInteger(key),
  name: (key) => typeof key === 'string' && key.length <= 500 && !key.includes('\u0000'),
  relevance: (key) => typeof key === 'number' && Number.isFinite(key),
};

/** Opaque to clients: they only hand back what they received. */
export function encodeCursor(cursor: ProductCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.key, cursor.id])).toString('base64url');
}

/**
 * A cursor is only valid for the sort that produced it; anything else (tampered, truncated,
 * from another sort) is the client's mistake, not ours.
 */
export function decodeCursor(raw: string, sort: ProductSort): Result<ProductCursor, CatalogError> {
  const invalid = fail(catalogError('CATALOG.INVALID_CURSOR', 'cursor: not a cursor this listing issued (pass back nextCursor unchanged, with the same sort)', 'cursor'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    return invalid;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return invalid;
  const [s, key, id] = parsed as unknown[];
  if (s !== sort || typeof id !== 'string' || !UUID.test(id)) return invalid;
  const keyOk = KEY_CHECKS[sort](key);
  if (!keyOk) return invalid;
  return ok({ sort, key: key as number | string, id });
}
