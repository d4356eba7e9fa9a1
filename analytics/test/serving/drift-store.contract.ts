import { describe, expect, it } from 'vitest';
import type { DriftRecord, DriftStore } from '../../src/serving/index.ts';

type Make = (options: { retentionMs: number; now: () => number }) => Promise<DriftStore>;

const QUARTER = 15 * 60_000;
const T0 = Date.parse('2026-11-25T00:00:00Z');

export const driftRecord = (over: Partial<DriftRecord> = {}): DriftRecord => ({
  tenantId: 't1',
  metric: 'pageviews',
  kind: 'count',
  bucket: T0,
  speed: 10,
  batch: 10,
  drift: 0,
  relativeDrift: 0,
  tolerance: 0,
  flagged: false,
  checkedAt: T0 + 3_600_000,
  ...over,
});

/** The one contract both drift store adapters honour. */
export function driftStoreContract(name: string, make: Make, options: { skip?: boolean } = {}) {
  describe.skipIf(options.skip ?? false)(`DriftStore contract: ${name}`, () => {
    const now = () => T0 + 86_400_000;
    const open = () => make({ retentionMs: 7 * 86_400_000, now });

    it('reads back a range of records in bucket then metric order, a later check replacing an earlier one', async () => {
      const store = await open();
      await store.save([
        driftRecord({ bucket: T0 + QUARTER, metric: 'revenue', kind: 'sum' }),
        driftRecord({ bucket: T0 + QUARTER }),
        driftRecord(),
        driftRecord({ bucket: T0 + 2 * QUARTER }),
      ]);
      await store.save([driftRecord({ speed: 11, drift: 1, relativeDrift: 0.1, flagged: true, checkedAt: T0 + 7_200_000 })]);
      const rows = await store.list('t1', { from: T0, to: T0 + 2 * QUARTER });
      expect(rows.map((r) => [r.bucket - T0, r.metric])).toEqual([
        [0, 'pageviews'],
        [QUARTER, 'pageviews'],
        [QUARTER, 'revenue'],
      ]);
      expect(rows[0]).toEqual(driftRecord({ speed: 11, drift: 1, relativeDrift: 0.1, flagged: true, checkedAt: T0 + 7_200_000 }));
      expect(await store.list('t1', { from: T0, to: T0 + 3 * QUARTER, flaggedOnly: true })).toHaveLength(1);
      await store.close();
    });

    it('keeps tenants apart', async () => {
      const store = await open();
      await store.save([driftRecord({ tenantId: 't1' }), driftRecord({ tenantId: 't2', speed: 3 })]);
      expect((await store.list('t2', { from: T0, to: T0 + QUARTER })).map((r) => [r.tenantId, r.speed])).toEqual([['t2', 3]]);
      expect(await store.list('t3', { from: T0, to: T0 + QUARTER })).toEqual([]);
      await store.close();
    });

    it('forgets records older than its retention', async () => {
      const store = await open();
      const old = T0 - 7 * 86_400_000; // exactly one retention before now(): bucket < now - retention
      await store.save([driftRecord({ bucket: old }), driftRecord()]);
      expect((await store.list('t1', { from: old - QUARTER, to: T0 + QUARTER })).map((r) => r.bucket)).toEqual([T0]);
      await store.close();
    });
  });
}
