import { partitionFor } from '../../src/log/index.ts';
import { HyperLogLog } from '../../src/sketches/index.ts';
import { seededRandom } from '../../src/demo/seeded-random.ts';

/** What one tenant's events must add up to, computed while generating them. */
export interface Expected {
  events: number;
  pageviews: number;
  orders: number;
  /** Sum of Order Completed `properties.revenue`, in cents. */
  revenueCents: number;
  /** userId, else anonymousId: what `unique_users` counts. */
  identities: Set<string>;
  messageIds: Set<string>;
}

/** One Segment `/v1/batch` request body of a single tenant, sent as is (retries resend the same bytes). */
export interface PlannedBatch {
  tenantId: string;
  body: { batch: Record<string, unknown>[]; sentAt?: string; context: Record<string, unknown> };
}

// A browser, so no event is flagged as a bot and every metric counts all of them.
export const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const PATHS = ['/', '/pricing', '/docs', '/blog/launch', '/checkout'];

/**
 * `perPartition` tenant ids for each of `partitions` log partitions (the ids are searched until
 * `partitionFor` lands them there), so every consumer member gets work.
 *
 * @example
 * tenantIdsCovering('so-ab12cd', 4, 1) // ['so-ab12cd-3', 'so-ab12cd-0', ...] one per partition
 */
export function tenantIdsCovering(prefix: string, partitions: number, perPartition: number): string[] {
  const ids: string[] = [];
  for (let p = 0; p < partitions; p++) {
    let found = 0;
    for (let i = 0; found < perPartition; i++) {
      const id = `${prefix}-${i}`;
      if (partitionFor(id, partitions) === p && !ids.includes(id)) {
        ids.push(id);
        found++;
      }
    }
  }
  return ids;
}

/**
 * A known set of events: `eventsPerTenant` per tenant in batches of `batchSize`, tenants
 * interleaved, timestamps spread over 01:00-22:00 UTC of `day` (far from midnight so a few
 * ms of clock correction never moves an event to another day), page views, product views
 * and orders with cent-exact revenue, from a pool of users and anonymous visitors.
 *
 * @example
 * const { batches, expected } = planTraffic({ tenantIds, eventsPerTenant: 1500, batchSize: 100, day: '2026-03-09', seed: 7 });
 */
export function planTraffic(options: { tenantIds: readonly string[]; eventsPerTenant: number; batchSize: number; day: string; seed: number; runTag: string }) {
  const random = seededRandom(options.seed);
  const dayStart = Date.parse(`${options.day}T00:00:00.000Z`);
  const expected = new Map<string, Expected>();
  for (const id of options.tenantIds) expected.set(id, { events: 0, pageviews: 0, orders: 0, revenueCents: 0, identities: new Set(), messageIds: new Set() });
  const batches: PlannedBatch[] = [];
  const rounds = Math.ceil(options.eventsPerTenant / options.batchSize);
  for (let round = 0; round < rounds; round++) {
    for (const tenantId of options.tenantIds) {
      const want = expected.get(tenantId)!;
      const size = Math.min(options.batchSize, options.eventsPerTenant - round * options.batchSize);
      const batch: Record<string, unknown>[] = [];
      for (let i = 0; i < size; i++) {
        const messageId = `${options.runTag}-${tenantId}-${round}-${i}`;
        const known = random() < 0.8;
        const identity = known ? `u${random.below(300)}` : `anon-${random.below(200)}`;
        const who = known ? { userId: identity } : { anonymousId: identity };
        const timestamp = new Date(dayStart + 3_600_000 + random.below(21 * 3_600_000)).toISOString();
        const path = random.pick(PATHS);
        const roll = random();
        let event: Record<string, unknown>;
        if (roll < 0.6) {
          event = { type: 'page', name: 'Page', properties: { path }, context: { page: { path } } };
          want.pageviews++;
        } else if (roll < 0.85) {
          event = { type: 'track', event: 'Product Viewed', properties: { sku: `sku-${random.below(50)}` }, context: { page: { path } } };
        } else {
          const cents = 100 + random.below(99_900);
          event = { type: 'track', event: 'Order Completed', properties: { revenue: cents / 100, currency: 'EUR' } };
          want.orders++;
          want.revenueCents += cents;
        }
        batch.push({ ...event, ...who, messageId, timestamp });
        want.events++;
        want.identities.add(identity);
        want.messageIds.add(messageId);
      }
      if (batch.length > 0) batches.push({ tenantId, body: { batch, context: { userAgent: USER_AGENT } } });
    }
  }
  return { batches, expected };
}

/** What `unique_users` must answer for these identities: the same sketch, so the same estimate. */
export function uniqueEstimate(identities: Iterable<string>): number {
  const sketch = new HyperLogLog();
  for (const identity of identities) sketch.add(identity);
  return Math.round(sketch.estimate());
}
