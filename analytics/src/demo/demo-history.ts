import { encodeRawObjects, RAW_PREFIX } from '../archive/index.ts';
import type { EventLog } from '../log/index.ts';
import type { ObjectStore } from '../storage/index.ts';
import { DEMO_DAY_MS, demoTraffic } from './demo-traffic.ts';

export interface DemoHistoryOptions {
  /** The lake: raw objects of the past days go here, as the archiver would have written them. */
  store: ObjectStore;
  /** Today's events go through the log, so the speed layer and the archiver take them as live traffic. */
  log: EventLog;
  tenantId: string;
  /** Whole UTC days before today. */
  days: number;
  now: number;
  visitsPerDay?: number;
}

export interface DemoHistoryResult {
  seeded: boolean;
  rawEvents: number;
  loggedEvents: number;
}

// Outside any real partition's range, so no archiver flush ever writes the same key.
const DEMO_PARTITION = 9999;
const markerKey = (tenantId: string) => `demo/history-${encodeURIComponent(tenantId)}.json`;

/**
 * Gives a brand-new demo tenant a history, so the dashboard and the merged query API have
 * something to show on the first `npm start` (batch views for past days, the speed layer for
 * today) instead of waiting a day for the first batch. Runs once per lake: skipped when the
 * tenant already has raw data or the marker exists.
 *
 * The marker is written before today's events are appended: a crash in between leaves today
 * without demo events rather than with them twice (raw objects are idempotent puts).
 */
export async function seedDemoHistory(options: DemoHistoryOptions): Promise<DemoHistoryResult> {
  const { store, log, tenantId, now } = options;
  const none = { seeded: false, rawEvents: 0, loggedEvents: 0 };
  if (options.days <= 0) return none;
  if ((await store.head(markerKey(tenantId))) !== null) return none;
  if ((await store.list(`${RAW_PREFIX}tenant=${encodeURIComponent(tenantId)}/`)).length > 0) return none;

  const today = Math.floor(now / DEMO_DAY_MS) * DEMO_DAY_MS;
  let rawEvents = 0;
  for (let day = today - options.days * DEMO_DAY_MS; day < today; day += DEMO_DAY_MS) {
    const events = demoTraffic(tenantId, day, day + DEMO_DAY_MS, options.visitsPerDay);
    const records = events.map((value, i) => ({ partition: DEMO_PARTITION, offset: i, key: tenantId, value }));
    const from = Math.floor(day / DEMO_DAY_MS) * 1_000_000;
    for (const object of encodeRawObjects(DEMO_PARTITION, from, from + records.length, records)) await store.put(object.key, object.body);
    rawEvents += events.length;
  }
  await store.put(markerKey(tenantId), `${JSON.stringify({ tenantId, days: options.days, seededAt: new Date(now).toISOString() })}\n`);

  const live = demoTraffic(tenantId, today, now, options.visitsPerDay);
  for (let i = 0; i < live.length; i += 500) await log.append(live.slice(i, i + 500).map((value) => ({ key: tenantId, value })));
  return { seeded: true, rawEvents, loggedEvents: live.length };
}
