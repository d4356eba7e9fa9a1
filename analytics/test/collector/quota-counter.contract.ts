import { describe, expect, it } from 'vitest';
import type { QuotaCounter } from '../../src/collector/quota-counter.ts';

/** The one contract both quota counter adapters honour. */
export function quotaCounterContract(name: string, make: () => Promise<QuotaCounter>, options: { skip?: boolean } = {}) {
  describe.skipIf(options.skip ?? false)(`QuotaCounter contract: ${name}`, () => {
    it('grants up to the limit, partially at the edge, then nothing', async () => {
      const quota = await make();
      expect(await quota.consume('t', '2026-03-10', 6, 10)).toBe(6);
      expect(await quota.consume('t', '2026-03-10', 6, 10)).toBe(4);
      expect(await quota.consume('t', '2026-03-10', 1, 10)).toBe(0);
      expect(await quota.used('t', '2026-03-10')).toBe(10);
      await quota.close();
    });

    it('counts each day and each tenant apart', async () => {
      const quota = await make();
      await quota.consume('t', '2026-03-10', 10, 10);
      expect(await quota.consume('t', '2026-03-11', 3, 10)).toBe(3);
      expect(await quota.consume('other', '2026-03-10', 3, 10)).toBe(3);
      await quota.close();
    });

    it('takes refunds back, never below zero', async () => {
      const quota = await make();
      await quota.consume('t', 'd', 10, 10);
      await quota.refund('t', 'd', 4);
      expect(await quota.consume('t', 'd', 10, 10)).toBe(4);
      await quota.refund('t', 'd', 50);
      expect(await quota.used('t', 'd')).toBe(0);
      await quota.close();
    });

    it('never grants past the limit under concurrency', async () => {
      const quota = await make();
      const grants = await Promise.all(Array.from({ length: 20 }, () => quota.consume('race', 'd', 3, 25)));
      expect(grants.reduce((a, b) => a + b, 0)).toBe(25);
      await quota.close();
    });
  });
}
