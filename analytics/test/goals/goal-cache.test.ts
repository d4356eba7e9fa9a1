import { describe, expect, it } from 'vitest';
import { watchGoals, type Goal } from '../../src/goals/index.ts';

const goal: Goal = { id: 'g1', tenantId: 'acme', createdAt: '2026-01-01T00:00:00Z', name: 'Pricing', kind: 'page', path: '/pricing' };

describe('watchGoals', () => {
  it('keeps a change read while an older full read is still running', async () => {
    let current: Goal[] = [];
    let gate: Promise<void> | undefined;
    let release = () => {};
    const store = {
      // The next read is held once it has read the goals, as a slow store would hold it.
      list: async () => {
        const seen = current;
        const wait = gate;
        gate = undefined;
        if (wait) await wait;
        return seen;
      },
    };
    const cache = await watchGoals(store, async () => ['acme'], { everyMs: 3_600_000 });
    try {
      gate = new Promise<void>((resolve) => (release = resolve));
      const periodic = cache.refresh(); // reads no goals, then waits
      await new Promise((resolve) => setImmediate(resolve));
      current = [goal];
      await cache.refresh('acme'); // the announced change
      expect(cache.definitionsOf('acme')).toEqual([goal]);
      release();
      await periodic;
      expect(cache.definitionsOf('acme')).toEqual([goal]);
    } finally {
      await cache.stop();
    }
  });
});
