import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch, viewKey } from '../../src/batch/index.ts';
import { generateEvents, writeRaw } from './batch.fixture.ts';

const DAY = '2026-03-10';
const NEXT = '2026-03-11';
const END = Date.parse(`${NEXT}T00:00:00Z`) + 86_400_000;
const GRACE = 5 * 60_000;
const NOW = END + GRACE + 1;
const TENANTS = ['alpha', 'beta'];

/** Resolves once `parties` callers wait on it; rejects a caller left waiting past `ms` (the others never came). */
function barrier(parties: number, ms: number) {
  const waiting: Array<() => void> = [];
  return () =>
    new Promise<void>((resolve, reject) => {
      waiting.push(resolve);
      if (waiting.length >= parties) for (const release of waiting.splice(0)) release();
      else setTimeout(() => reject(new Error(`only ${waiting.length} of ${parties} tenant-days were in flight together`)), ms);
    });
}

describe('batch tenants computed side by side', () => {
  let lake: string;
  beforeAll(async () => {
    lake = await mkdtemp(join(tmpdir(), 'batch-concurrency-'));
    for (const [i, tenant] of TENANTS.entries()) await writeRaw(lake, generateEvents(tenant, 300, `${DAY}T00:00:00Z`, `${NEXT}T23:00:00Z`, 30 + i), { duplicateEvery: 7 });
  });
  afterAll(async () => rm(lake, { recursive: true, force: true }));

  it('has two tenants in flight at once, each day computed once, in plan order in the result', async () => {
    const meet = barrier(2, 20_000);
    const firstDays = new Set<string>();
    const result = await runBatch({
      lake,
      tenants: TENANTS,
      now: NOW,
      graceMs: GRACE,
      concurrency: 2,
      // Each tenant's first day waits here for the other tenant's: run one after another, it never would.
      beforePublish: async ({ tenantId, date }) => {
        if (date === DAY && !firstDays.has(tenantId)) {
          firstDays.add(tenantId);
          await meet();
        }
      },
    });
    expect(result.periods.map((p) => `${p.tenantId} ${p.date}`)).toEqual([`alpha ${DAY}`, `alpha ${NEXT}`, `beta ${DAY}`, `beta ${NEXT}`]);
    expect(result.watermarks).toEqual({ alpha: END, beta: END });
  });

  it('writes the same bytes as computing the tenants one at a time', async () => {
    const views = async () => Promise.all(TENANTS.flatMap((t) => [DAY, NEXT].map((d) => readFile(join(lake, viewKey(t, d))))));
    await runBatch({ lake, tenants: TENANTS, now: NOW, from: DAY, to: NEXT, graceMs: GRACE, concurrency: 2 });
    const together = await views();
    await runBatch({ lake, tenants: TENANTS, now: NOW, from: DAY, to: NEXT, graceMs: GRACE, concurrency: 1 });
    const alone = await views();
    expect(together.map((b, i) => Buffer.compare(b, alone[i]!))).toEqual([0, 0, 0, 0]);
  });
});
