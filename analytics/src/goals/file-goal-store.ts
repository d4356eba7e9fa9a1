import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { publishLocalFile } from '../storage/index.ts';
import type { Goal } from './goal.ts';
import type { GoalStore } from './goal-store.ts';

/** Goals in one JSON document, rewritten whole (atomically) on each change; changes are serialised. */
export function createFileGoalStore(path: string): GoalStore {
  let chain: Promise<unknown> = Promise.resolve();
  const load = async (): Promise<Goal[]> => {
    try {
      return JSON.parse(await readFile(path, 'utf8')) as Goal[];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };
  const change = <T>(fn: (goals: Goal[]) => { goals: Goal[] | null; result: T }): Promise<T> => {
    const next = chain.then(async () => {
      const { goals, result } = fn(await load());
      if (goals) {
        // Written beside the file, then fsynced and renamed into place: a crash leaves the old list or the new.
        const temp = `${path}.${process.pid}.tmp`;
        await mkdir(dirname(path), { recursive: true });
        await writeFile(temp, `${JSON.stringify(goals, null, 2)}\n`);
        await publishLocalFile(temp, path);
      }
      return result;
    });
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    async list(tenantId) {
      await chain;
      return (await load()).filter((g) => g.tenantId === tenantId);
    },
    add: (goal, max) =>
      change((goals) => (goals.filter((g) => g.tenantId === goal.tenantId).length >= max ? { goals: null, result: false } : { goals: [...goals, goal], result: true })),
    remove: (tenantId, id) =>
      change((goals) => {
        const kept = goals.filter((g) => !(g.tenantId === tenantId && g.id === id));
        return kept.length === goals.length ? { goals: null, result: false } : { goals: kept, result: true };
      }),
    async close() {
      await chain;
    },
  };
}
