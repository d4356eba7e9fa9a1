import type { Sql } from '../../../shared/database/index.ts';
import type { CheckoutRequestRepository, StoredCheckout } from '../application/ports/checkout-request.repository.ts';


export async function findCheckoutRequest(sql: Sql, ownerKey: string, key: string): Promise<StoredCheckout | null> {
  const { rows } = await sql.query<{ request_hash: string; order_id: string; response: StoredCheckout['response'] }>(
    `select request_hash, order_id, response from orders.checkout_requests where owner_key = $1 and idempotency_key = $2`,
    [ownerKey, key],
  );
  const row = rows[0];
  return row ? { requestHash: row.request_hash, orderId: row.order_id, response: row.response } : null;
}

/** false when the key is already stored (a concurrent request with the same key got there first). */
export async function insertCheckoutRequest(sql: Sql, ownerKey: string, key: string, stored: StoredCheckout, now: Date): Promise<boolean> {
  const { rowCount } = await sql.query(
    `insert into orders.checkout_requests (owner_key, idempotency_key, request_hash, order_id, response, created_at)
     values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
    [ownerKey, key, stored.requestHash, stored.orderId, JSON.stringify(stored.response), now],
  );
  return rowCount > 0;
}

/** The CheckoutRequestRepository port over PostgreSQL/PGlite. */
export const checkoutRequestRepository: CheckoutRequestRepository = { findCheckoutRequest, insertCheckoutRequest };
