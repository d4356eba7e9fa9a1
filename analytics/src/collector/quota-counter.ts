/**
 * Per-tenant daily usage against the tenant's quota. `day` is the tenant's calendar day
 * (its time zone), so a quota resets at the tenant's midnight. Granting is partial: the
 * events that still fit are granted, the rest are for the caller to reject by name.
 * Adapters: in-process and Redis; one contract suite covers both.
 */
export interface QuotaCounter {
  /** Adds up to `count` without passing `limit`; returns how many were granted (0..count). */
  consume(tenantId: string, day: string, count: number, limit: number): Promise<number>;
  /** Gives back granted events that were not appended after all (log failure). */
  refund(tenantId: string, day: string, count: number): Promise<void>;
  used(tenantId: string, day: string): Promise<number>;
  close(): Promise<void>;
}
