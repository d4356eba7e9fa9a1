export type RateDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

/**
 * Per-tenant token buckets (events per second). A request is admitted whole or not at all,
 * and once the bucket holds `min(count, capacity)` tokens it may take more than it holds
 * (the bucket goes into debt): a batch larger than the burst still gets in when the bucket
 * is full, and the debt holds the tenant to its average rate afterwards.
 * Adapters: in-process (per instance) and Redis (shared). The clock is passed in, so every
 * instance and every test agrees on time; one contract suite covers both.
 */
export interface RateLimiter {
  take(tenantId: string, count: number, ratePerSecond: number, capacity: number): Promise<RateDecision>;
  close(): Promise<void>;
}

/** The refill arithmetic both adapters share (the Redis script mirrors it in Lua). */
export function refill(state: { tokens: number; at: number } | undefined, now: number, ratePerSecond: number, capacity: number) {
  if (!state) return capacity;
  return Math.min(capacity, state.tokens + (Math.max(0, now - state.at) / 1000) * ratePerSecond);
}
