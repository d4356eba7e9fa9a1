export interface RetryPolicy {
  /** Attempts in all, the first included; the last failure makes the delivery dead. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/**
 * Delay before the attempt after `attempt` failed: exponential, capped, with "equal jitter"
 * (half fixed, half random) so subscribers that failed together do not retry together,
 * while a retry never comes sooner than half the planned delay.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const planned = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(planned / 2 + random() * (planned / 2));
}
