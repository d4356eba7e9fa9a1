import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { contributions, type MetricDeclaration } from '../../src/contracts/metrics.ts';
import { HyperLogLog } from '../../src/sketches/hyperloglog.ts';
import { bucketStart } from '../../src/contracts/aggregate-store.ts';
import { DEFAULT_VISIT_TIMEOUT_MS, foldVisit, visitorOf, type OpenVisit } from '../../src/contracts/visits.ts';
import type { LakeStore } from '../../src/batch/index.ts';
import { seededRandom } from '../../src/demo/seeded-random.ts';

const REVENUES: unknown[] = [19.99, '5.50', 3, ' 12.3 ', 'abc', 1.234, '-0.5', 1e21, true, null, '007.10'];
const CATEGORIES: unknown[] = ['shoes', 'hats', 150, true, '', { nested: 1 }, 'x'.repeat(250)];

/**
 * `count` varied events of one tenant between `from` and `to` (ISO): page views, orders with
 * odd revenues, bots, missing ids, sessions in context or properties, numeric and over-long
 * breakdown values, and receive delays of up to `maxDelayMs`.
 */
export function generateEvents(tenantId: string, count: number, from: string, to: string, seed = 1, maxDelayMs = 10 * 60_000): AnalyticsEvent[] {
  const r = seededRandom(seed);
  const start = Date.parse(from);
  const span = Date.parse(to) - start;
  const events: AnalyticsEvent[] = [];
  for (let i = 0; i < count; i++) {
    const time = start + r.below(span);
    const received = time + r.below(maxDelayMs);
    const kind = r();
    const context: Record<string, unknown> = {};
    const properties: Record<string, unknown> = {};
    if (r() < 0.7) context.campaign = { source: r.pick(['google', 'newsletter', 'twitter']) };
    if (r() < 0.5) context.sessionId = `s-${r.below(40)}`;
    else if (r() < 0.5) properties.sessionId = r.pick([`ps-${r.below(10)}`, 7, '']);
    if (r() < 0.3) properties.category = r.pick(CATEGORIES);
    const event: AnalyticsEvent = {
      tenantId,
      messageId: `${tenantId}-${seed}-${i}`,
      type: 'track',
      timestamp: new Date(time).toISOString(),
      receivedAt: new Date(received).toISOString(),
      properties,
      context,
      isBot: r() < 0.05,
    };
    if (r() < 0.9) event.userId = `u-${r.below(60)}`;
    else if (r() < 0.8) event.anonymousId = `a-${r.below(20)}`;
    if (kind < 0.5) {
      event.type = 'page';
      context.page = r() < 0.9 ? { path: r.pick(['/', '/shoes', '/hats', '/cart']), referrer: r.pick(['https://google.com/', 'https://t.co/', undefined]) } : 'not-an-object';
      if (r() < 0.2) properties.path = '/from-properties';
    } else if (kind < 0.7) {
      event.event = 'Order Completed';
      properties.revenue = r.pick(REVENUES);
    } else if (kind < 0.9) {
      event.event = r.pick(['Signed Up', 'Added To Cart', '']);
    } else {
      event.type = r.pick(['identify', 'screen', 'group']);
    }
    events.push(event);
  }
  return events;
}

/**
 * Writes events in the archiver's layout: one file per (event hour, chunk of `perFile`), named
 * `p<partition>-<from>-<to>.ndjson` by position; `duplicateEvery` re-appends every n-th event
 * to a later file, as an at-least-once log does.
 */
export async function writeRaw(lakeDir: string, events: AnalyticsEvent[], options: { perFile?: number; duplicateEvery?: number; partition?: number } = {}): Promise<void> {
  const perFile = options.perFile ?? 200;
  const lines: AnalyticsEvent[] = [];
  events.forEach((e, i) => {
    lines.push(e);
    if (options.duplicateEvery && i % options.duplicateEvery === 0) lines.push(e);
  });
  const byFolder = new Map<string, AnalyticsEvent[]>();
  for (const e of lines) {
    const iso = e.timestamp;
    const folder = `raw/tenant=${e.tenantId}/date=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}`;
    let list = byFolder.get(folder);
    if (!list) byFolder.set(folder, (list = []));
    list.push(e);
  }
  let position = 0;
  for (const [folder, list] of byFolder) {
    await mkdir(join(lakeDir, folder), { recursive: true });
    for (let i = 0; i < list.length; i += perFile) {
      const chunk = list.slice(i, i + perFile);
      const name = `p${options.partition ?? 0}-${String(position).padStart(12, '0')}-${String(position + chunk.length).padStart(12, '0')}.ndjson`;
      position += chunk.length;
      await writeFile(join(lakeDir, folder, name), chunk.map((e) => JSON.stringify(e)).join('\n') + '\n');
    }
  }
}

export interface ReferenceCell {
  amount: number;
  identities?: Set<string>;
  sketch?: HyperLogLog;
  items?: Map<string, number>;
}

export const cellKey = (metric: string, dimension: string | null, value: string | null, bucket: number) => `${metric}|${dimension ?? ''}|${value ?? ''}|${bucket}`;

/**
 * The batch's expected output computed the other way: first copy of each messageId by
 * receivedAt, events of [start, end) whenever received, folded through `contributions()`.
 */
export function referenceCells(events: AnalyticsEvent[], metrics: readonly MetricDeclaration[], start: number, end: number): Map<string, ReferenceCell> {
  const first = new Map<string, AnalyticsEvent>();
  for (const e of events) {
    const seen = first.get(e.messageId);
    if (!seen || Date.parse(e.receivedAt) < Date.parse(seen.receivedAt)) first.set(e.messageId, e);
  }
  const cells = new Map<string, ReferenceCell>();
  for (const e of first.values()) {
    const time = Date.parse(e.timestamp);
    if (!(time >= start && time < end)) continue;
    const bucket = bucketStart(time, 'quarter');
    for (const c of contributions(e, metrics).contributions) {
      const key = cellKey(c.metric, c.series?.dimension ?? null, c.series?.value ?? null, bucket);
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { amount: 0 }));
      if (c.kind === 'count' || c.kind === 'sum') cell.amount += c.amount;
      else if (c.kind === 'unique') {
        (cell.identities ??= new Set()).add(c.identity);
        (cell.sketch ??= new HyperLogLog()).add(c.identity);
        cell.amount = cell.identities.size;
      } else {
        cell.items ??= new Map();
        cell.items.set(c.item, (cell.items.get(c.item) ?? 0) + 1);
        cell.amount++;
      }
    }
  }
  // Visits: the speed layer's fold, one event at a time in (time, messageId) order, into the visit's start quarter.
  const open = new Map<string, OpenVisit>();
  const ordered = [...first.values()]
    .filter((e) => Date.parse(e.timestamp) >= start && Date.parse(e.timestamp) < end)
    .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
  for (const e of ordered) {
    const visitor = visitorOf(e);
    const step = visitor === undefined ? undefined : foldVisit(open.get(visitor), e, Date.parse(e.timestamp), DEFAULT_VISIT_TIMEOUT_MS, metrics);
    if (!step) continue;
    if (step.keep) open.set(step.visitor, step.visit);
    for (const d of step.deltas) {
      const key = cellKey(d.metric, d.series?.dimension ?? null, d.series?.value ?? null, bucketStart(step.visit.start, 'quarter'));
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { amount: 0 }));
      cell.amount += d.amount;
      if (cell.amount === 0) cells.delete(key);
    }
  }
  return cells;
}

/** A lake in memory with no `localPath`: exercises the ObjectStore path (downloads, puts). */
export function memoryLake(options: { failPut?: (key: string) => boolean } = {}): LakeStore & { objects: Map<string, Uint8Array>; puts: string[] } {
  const objects = new Map<string, Uint8Array>();
  const puts: string[] = [];
  return {
    objects,
    puts,
    async list(prefix) {
      return [...objects.keys()].filter((k) => k.startsWith(prefix));
    },
    async get(key) {
      return objects.get(key) ?? null;
    },
    async put(key, body) {
      if (options.failPut?.(key)) throw new Error(`put failed: ${key}`);
      puts.push(key);
      objects.set(key, new Uint8Array(body));
    },
  };
}
