import { join } from 'node:path';
import { createFileGoalStore } from './file-goal-store.ts';
import type { GoalStore } from './goal-store.ts';
import { createRedisGoalStore } from './redis-goal-store.ts';

/** The JSON file the embedded goal store keeps under DATA_DIR. */
export const goalFilePath = (dataDir: string): string => join(dataDir, 'analytics', 'goals.json');

/**
 * The goal store the analytics app uses, from the same settings: Redis with `redisUrl`, else the
 * JSON file under `dataDir`. Every process counting goal metrics (speed processes, replays, the
 * batch CLI) opens it this way, so they read the goals the API defined.
 *
 * @example
 * const goals = openGoalStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, prefix: config.ANALYTICS_REDIS_PREFIX });
 */
export function openGoalStore(options: { redisUrl?: string | undefined; dataDir: string; prefix: string }): GoalStore {
  return options.redisUrl ? createRedisGoalStore(options.redisUrl, options.prefix) : createFileGoalStore(goalFilePath(options.dataDir));
}
