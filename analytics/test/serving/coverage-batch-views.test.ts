import { describe, expect, it } from 'vitest';
import { batchViewsFromCoverage } from '../../src/serving/index.ts';

const DAY = 86_400_000;
const D0 = Date.parse('2026-11-01T00:00:00Z');
const day = (n: number) => ({ start: D0 + n * DAY, end: D0 + (n + 1) * DAY });

describe('batch views from a coverage list', () => {
  const views = (watermark: number | null, covered: Array<{ start: number; end: number }>) =>
    batchViewsFromCoverage({ read: async () => [], watermark: async () => watermark, coverage: async () => covered });

  it('names the uncovered parts before B: before the first view and between views, never after B', async () => {
    const batch = views(D0 + 5 * DAY, [day(3), day(1), day(4)]);
    expect(await batch.missingPeriods('t', { from: D0 - DAY, to: D0 + 10 * DAY })).toEqual([
      { from: D0 - DAY, to: D0 + DAY },
      { from: D0 + 2 * DAY, to: D0 + 3 * DAY },
    ]);
    expect(await batch.missingPeriods('t', { from: D0 + 3 * DAY + 3_600_000, to: D0 + 4 * DAY })).toEqual([]);
  });

  it('has no gaps without a watermark (nothing is claimed covered)', async () => {
    expect(await views(null, []).missingPeriods('t', { from: D0, to: D0 + DAY })).toEqual([]);
  });
});
