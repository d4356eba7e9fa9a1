import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { funnelReport, goalReport, openDuckDb, retentionReport, type DuckDbEngine } from '../../src/batch/index.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { seededRandom } from '../../src/demo/seeded-random.ts';
import { localObjectStore } from '../../src/storage/index.ts';
import { writeRaw } from './batch.fixture.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
// A Monday, so weekly cohorts start on day 0 and day 7.
const FIRST = Date.parse('2026-11-02T00:00:00Z');
const DAYS = 14;
const WINDOW = 60 * MINUTE;

interface Step {
  visitor: string;
  time: number;
  kind: 'page' | 'event';
  name: string;
  plan?: string;
  revenue?: string;
}

/**
 * Journeys made up and written down as they are made: visitors land on /, some look at pricing or
 * the blog, some sign up (pro or free, with revenue for pro), sometimes too late for the funnel's
 * hour, sometimes before seeing pricing. Bots and duplicates ride along and must not count.
 */
function journeys() {
  const r = seededRandom(909);
  const steps: Step[] = [];
  const events: AnalyticsEvent[] = [];
  for (let v = 0; v < 300; v++) {
    const visitor = `v${v}`;
    const firstDay = r.below(DAYS);
    for (let day = firstDay; day < DAYS; day += 1 + r.below(6)) {
      let time = FIRST + day * DAY + r.below(20 * 60) * MINUTE;
      const push = (kind: Step['kind'], name: string, extra: Partial<Step> = {}) => {
        steps.push({ visitor, time, kind, name, ...extra });
        time += (1 + r.below(40)) * MINUTE;
      };
      if (r() < 0.2) push('event', 'Signed Up', { plan: 'free' });
      push('page', '/');
      if (r() < 0.6) push('page', '/pricing');
      if (r() < 0.3) push('page', `/blog/post-${r.below(3)}`);
      if (r() < 0.5) {
        const pro = r() < 0.5;
        push('event', 'Signed Up', pro ? { plan: 'pro', revenue: `${10 + r.below(90)}.${String(r.below(100)).padStart(2, '0')}` } : { plan: 'free' });
      }
    }
  }
  for (const [i, s] of steps.entries()) {
    const iso = new Date(s.time).toISOString();
    events.push({
      tenantId: 'acme',
      messageId: `m${i}`,
      type: s.kind === 'page' ? 'page' : 'track',
      ...(s.kind === 'event' ? { event: s.name } : {}),
      anonymousId: s.visitor,
      timestamp: iso,
      receivedAt: iso,
      properties: s.kind === 'event' ? { plan: s.plan, ...(s.revenue ? { revenue: s.revenue } : {}) } : {},
      context: { page: { path: s.kind === 'page' ? s.name : '/signup' } },
      isBot: false,
    });
    if (i % 17 === 0) events.push({ ...events.at(-1)!, messageId: `bot${i}`, isBot: true });
  }
  return { steps, events };
}

const { steps, events } = journeys();
const inRange = (s: Step, from: number, to: number) => s.time >= from && s.time < to;

let lake: string;
let engine: DuckDbEngine;
let connection: DuckDBConnection;
beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'event-queries-'));
  await writeRaw(lake, events, { duplicateEvery: 11 });
  engine = await openDuckDb({ threads: 1 });
  connection = await engine.connect();
});
afterAll(async () => {
  connection.closeSync();
  engine.close();
  await rm(lake, { recursive: true, force: true });
});

describe('event queries against the ground truth', () => {
  const from = FIRST + 2 * DAY;
  const to = FIRST + 12 * DAY;

  it('counts goal conversions, converting visitors, conversion rate and revenue', async () => {
    const { result, freshness } = await goalReport(connection, localObjectStore(lake), { tenantId: 'acme', from, to }, [
      { id: 'pro', kind: 'event', event: 'Signed Up', properties: { plan: 'pro' } },
      { id: 'blog', kind: 'page', path: '/blog/*' },
      { id: 'none', kind: 'page', path: '/nowhere' },
    ]);
    const kept = steps.filter((s) => inRange(s, from, to));
    const visitors = new Set(kept.map((s) => s.visitor)).size;
    const pro = kept.filter((s) => s.name === 'Signed Up' && s.plan === 'pro');
    const blog = kept.filter((s) => s.name.startsWith('/blog/'));
    const cents = (text: string) => Number(text.replace('.', ''));
    expect(pro.length).toBeGreaterThan(50);
    expect(result).toEqual([
      { id: 'pro', conversions: pro.length, visitors: new Set(pro.map((s) => s.visitor)).size, rate: new Set(pro.map((s) => s.visitor)).size / visitors, revenue: pro.reduce((sum, s) => sum + cents(s.revenue!), 0) },
      { id: 'blog', conversions: blog.length, visitors: new Set(blog.map((s) => s.visitor)).size, rate: new Set(blog.map((s) => s.visitor)).size / visitors, revenue: 0 },
      { id: 'none', conversions: 0, visitors: 0, rate: 0, revenue: 0 },
    ]);
    expect(freshness.through).toBe(new Date(Math.max(...kept.map((s) => s.time))).toISOString());
  });

  it('walks visitors through ordered funnel steps within the window', async () => {
    const funnel = [
      { kind: 'page', path: '/' },
      { kind: 'page', path: '/pricing' },
      { kind: 'event', event: 'Signed Up' },
    ] as const;
    const { result } = await funnelReport(connection, localObjectStore(lake), { tenantId: 'acme', from, to }, funnel, WINDOW);
    // Per visitor: enter at the first /, then the first match strictly after the previous step, within the hour.
    const matches = [(s: Step) => s.name === '/', (s: Step) => s.name === '/pricing', (s: Step) => s.name === 'Signed Up'];
    const counts = [0, 0, 0];
    const byVisitor = new Map<string, Step[]>();
    for (const s of steps.filter((x) => inRange(x, from, to))) byVisitor.set(s.visitor, [...(byVisitor.get(s.visitor) ?? []), s]);
    for (const list of byVisitor.values()) {
      list.sort((a, b) => a.time - b.time);
      const entry = list.find(matches[0]!);
      if (!entry) continue;
      counts[0]!++;
      let at = entry.time;
      for (let i = 1; i < matches.length; i++) {
        const next = list.find((s) => s.time > at && s.time <= entry.time + WINDOW && matches[i]!(s));
        if (!next) break;
        counts[i]!++;
        at = next.time;
      }
    }
    expect(counts[2]).toBeGreaterThan(20);
    expect(result.map((r) => r.visitors)).toEqual(counts);
    expect(result.map((r) => r.dropOff)).toEqual([0, counts[0]! - counts[1]!, counts[1]! - counts[2]!]);
    expect(result[2]!.conversion).toBeCloseTo(counts[2]! / counts[0]!, 12);
  });

  it('builds daily and weekly cohorts of first-seen visitors and their returns', async () => {
    for (const period of ['day', 'week'] as const) {
      const width = period === 'day' ? DAY : 7 * DAY;
      const { result } = await retentionReport(connection, localObjectStore(lake), { tenantId: 'acme', from: FIRST, to: FIRST + DAYS * DAY }, period);
      const first = new Map<string, number>();
      const seen = new Map<string, Set<number>>();
      for (const s of steps) {
        const p = Math.floor((s.time - FIRST) / width);
        first.set(s.visitor, Math.min(first.get(s.visitor) ?? p, p));
        seen.set(s.visitor, (seen.get(s.visitor) ?? new Set()).add(p));
      }
      const expected = new Map<number, number[]>();
      for (const [visitor, c] of first) {
        const row = expected.get(c) ?? [];
        for (const p of seen.get(visitor)!) {
          while (row.length <= p - c) row.push(0);
          row[p - c]!++;
        }
        expected.set(c, row);
      }
      const truth = [...expected].sort(([a], [b]) => a - b).map(([c, returning]) => ({ start: new Date(FIRST + c * width).toISOString().slice(0, 10), size: returning[0]!, returning }));
      expect(result).toEqual(truth);
    }
  });
});
