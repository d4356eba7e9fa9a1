import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileGoalStore } from '../goals/index.ts';
import { createLocalObjectStore } from '../storage/index.ts';
import { DEMO_GOALS, seedDemoGoals } from './demo-goals.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'demo-goals-'));
  dirs.push(dir);
  return { goals: createFileGoalStore(join(dir, 'goals.json')), store: await createLocalObjectStore(join(dir, 'lake')), tenantId: 'demo-shop', now: Date.parse('2026-12-07T08:00:00Z') };
}

describe('seedDemoGoals', () => {
  it('gives the demo tenant its goals in funnel order once, and never brings back goals a user removed', async () => {
    const deps = await setup();
    expect(await seedDemoGoals(deps)).toEqual({ seeded: DEMO_GOALS.length });
    const first = await deps.goals.list('demo-shop');
    expect(first.map((g) => g.name)).toEqual(DEMO_GOALS.map((g) => g.name));

    for (const goal of first) await deps.goals.remove('demo-shop', goal.id);
    expect(await seedDemoGoals(deps)).toEqual({ seeded: 0 });
    expect(await deps.goals.list('demo-shop')).toEqual([]);
  });

  it('leaves a tenant that already has goals as it is', async () => {
    const deps = await setup();
    await deps.goals.add({ id: 'g1', tenantId: 'demo-shop', name: 'Mine', kind: 'event', event: 'Signed Up', createdAt: new Date(deps.now).toISOString() }, 50);
    expect(await seedDemoGoals(deps)).toEqual({ seeded: 0 });
    expect((await deps.goals.list('demo-shop')).map((g) => g.name)).toEqual(['Mine']);
  });
});
