import { refill, type RateLimiter } from './rate-limiter.ts';

/** Buckets in this process; with N instances a tenant gets up to N times its rate. */
export function createMemoryRateLimiter(options: { now?: () => number } = {}): RateLimiter {
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    async take(tenantId, count, ratePerSecond, capacity) {
      const at = now();
      const tokens = refill(buckets.get(tenantId), at, ratePerSecond, capacity);
      const need = Math.min(count, capacity);
      if (tokens < need) {
        buckets.set(tenantId, { tokens, at });
        return { allowed: false, retryAfterMs: Math.ceil(((need - tokens) / ratePerSecond) * 1000) };
      }
      buckets.set(tenantId, { tokens: tokens - count, at });
      return { allowed: true };
    },
    async close() {
      buckets.clear();
    },
  };
}
