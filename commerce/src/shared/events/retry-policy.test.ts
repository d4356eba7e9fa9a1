import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-policy.ts';

describe('retryDelayMs', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 10_000 };

  it('doubles per attempt without jitter at its bounds', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(policy, a, () => 1))).toEqual([100, 200, 400, 800]);
    expect([1, 2, 3, 4].map((a) => retryDelayMs(policy, a, () => 0))).toEqual([50, 100, 200, 400]);
  });

  it('stays within [planned/2, planned] and never exceeds the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const planned = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        const delay = retryDelayMs(policy, attempt, () => r);
        return delay >= Math.floor(planned / 2) && delay <= planned && delay <= policy.maxDelayMs;
      }),
    );
  });
});
