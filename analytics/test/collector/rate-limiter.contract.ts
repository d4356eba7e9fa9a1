import { describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../src/collector/rate-limiter.ts';

/** The one contract both rate limiter adapters honour; both take the clock from the test. */
export function rateLimiterContract(name: string, make: (now: () => number) => Promise<RateLimiter>, options: { skip?: boolean } = {}) {
  describe.skipIf(options.skip ?? false)(`RateLimiter contract: ${name}`, () => {
    const clock = () => {
      let at = 1_700_000_000_000;
      return { now: () => at, advance: (ms: number) => void (at += ms) };
    };

    it('admits up to the burst, then says how long to wait, then refills at the rate', async () => {
      const c = clock();
      const limiter = await make(c.now);
      expect(await limiter.take('t', 3, 10, 10)).toEqual({ allowed: true });
      expect(await limiter.take('t', 7, 10, 10)).toEqual({ allowed: true });
      expect(await limiter.take('t', 1, 10, 10)).toEqual({ allowed: false, retryAfterMs: 100 });
      c.advance(100);
      expect(await limiter.take('t', 1, 10, 10)).toEqual({ allowed: true });
      c.advance(10_000);
      // Refilling stops at the capacity.
      expect(await limiter.take('t', 10, 10, 10)).toEqual({ allowed: true });
      expect((await limiter.take('t', 1, 10, 10)).allowed).toBe(false);
      await limiter.close();
    });

    it('admits a request larger than the burst when full and charges the debt', async () => {
      const c = clock();
      const limiter = await make(c.now);
      expect(await limiter.take('t', 25, 10, 10)).toEqual({ allowed: true });
      // 15 tokens of debt + 1 needed at 10/s.
      expect(await limiter.take('t', 1, 10, 10)).toEqual({ allowed: false, retryAfterMs: 1600 });
      c.advance(1600);
      expect(await limiter.take('t', 1, 10, 10)).toEqual({ allowed: true });
      await limiter.close();
    });

    it('keeps tenants apart', async () => {
      const c = clock();
      const limiter = await make(c.now);
      expect(await limiter.take('a', 5, 5, 5)).toEqual({ allowed: true });
      expect((await limiter.take('a', 1, 5, 5)).allowed).toBe(false);
      expect(await limiter.take('b', 5, 5, 5)).toEqual({ allowed: true });
      await limiter.close();
    });

    it('admits exactly the burst among many concurrent requests', async () => {
      const c = clock();
      const limiter = await make(c.now);
      const results = await Promise.all(Array.from({ length: 30 }, () => limiter.take('race', 1, 10, 10)));
      expect(results.filter((r) => r.allowed)).toHaveLength(10);
      await limiter.close();
    });
  });
}
