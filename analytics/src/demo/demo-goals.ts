import { randomUUID } from 'node:crypto';
import { MAX_GOALS, type GoalInput, type GoalStore } from '../goals/index.ts';
import type { ObjectStore } from '../storage/index.ts';

/**
 * The steps of the demo shop's purchase path, in order: the dashboard's funnel panel starts from
 * a tenant's goals in this order, so the demo shows a funnel as well as a goal report.
 */
export const DEMO_GOALS: readonly GoalInput[] = [
  { name: 'Viewed a product', kind: 'page', path: '/products/*' },
  { name: 'Added to cart', kind: 'event', event: 'Product Added' },
  { name: 'Started checkout', kind: 'event', event: 'Checkout Started' },
  { name: 'Purchased', kind: 'event', event: 'Order Completed' },
];

const markerKey = (tenantId: string) => `demo/goals-${encodeURIComponent(tenantId)}.json`;

/**
 * Gives the demo tenant its goals once per lake, so the goal, funnel and retention panels show
 * data on the first `npm start`. A marker (beside the demo history's) keeps goals a user removed
 * from coming back at the next start; a tenant that already has goals keeps them as they are.
 *
 * @example
 * await seedDemoGoals({ goals, store: objectStore, tenantId: 'demo-shop', now: Date.now() });
 */
export async function seedDemoGoals(options: { goals: GoalStore; store: ObjectStore; tenantId: string; now: number }): Promise<{ seeded: number }> {
  const { goals, store, tenantId, now } = options;
  if ((await store.head(markerKey(tenantId))) !== null) return { seeded: 0 };
  let seeded = 0;
  if ((await goals.list(tenantId)).length === 0) {
    for (const [i, goal] of DEMO_GOALS.entries()) {
      // One millisecond apart: the store lists goals by creation, which is the funnel's order.
      if (await goals.add({ ...goal, id: randomUUID(), tenantId, createdAt: new Date(now + i).toISOString() }, MAX_GOALS)) seeded++;
    }
  }
  await store.put(markerKey(tenantId), `${JSON.stringify({ tenantId, goals: seeded, seededAt: new Date(now).toISOString() })}\n`);
  return { seeded };
}
