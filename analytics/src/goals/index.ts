/** Tenants' goals: what they are, where they are kept, and the routes that manage them. */
export { goalInput, MAX_GOALS, type Goal, type GoalInput } from './goal.ts';
export type { GoalStore } from './goal-store.ts';
export { createFileGoalStore } from './file-goal-store.ts';
export { createRedisGoalStore } from './redis-goal-store.ts';
export { watchGoals, type GoalCache } from './goal-cache.ts';
export { goalFilePath, openGoalStore } from './open-goal-store.ts';
