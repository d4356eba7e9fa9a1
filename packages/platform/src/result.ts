/**
 * An expected outcome (out of stock, card declined, email taken): success with a value, or a failure
 * carrying a stable `code` that callers must handle. Only bugs and infrastructure failures throw.
 *
 * @example
 * const r = reserve(stock, 3);
 * if (!r.ok) return r; // r.error.code === 'CATALOG.OUT_OF_STOCK'
 * use(r.value);
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const fail = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
