import type { Sql } from '../../../../shared/database/database.ts';

/** The answer a checkout gave, stored so the same Idempotency-Key gets it again. */
export interface StoredCheckout {
  requestHash: string;
  orderId: string;
  response: { orderId: string; orderNumber: string; status: string; totalMinor: number; currency: string };
}

/** Storage as the use cases see it; every call runs on the given `sql`/`tx`, so it joins the caller's transaction. */
export interface CheckoutRequestRepository {
  findCheckoutRequest(sql: Sql, ownerKey: string, key: string): Promise<StoredCheckout | null>;
  /** false when the key is already stored (a concurrent request with the same key got there first). */
  insertCheckoutRequest(sql: Sql, ownerKey: string, key: string, stored: StoredCheckout, now: Date): Promise<boolean>;
}
