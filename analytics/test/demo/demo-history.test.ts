import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemoHistory } from '../../src/demo/index.ts';
import { createLocalObjectStore } from '../../src/storage/index.ts';
import { createMemoryEventLog } from '../collector/support/memory-event-log.ts';
import { startTestApp } from '../collector/support/test-app.ts';
import { until } from '../speed/until.ts';

const DAY_MS = 86_400_000;
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
const newLake = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'demo-history-'));
  dirs.push(dir);
  return createLocalObjectStore(dir);
};

describe('demo history', () => {
  it('seeds past days into the raw store and today into the log, once, the same bytes every time', async () => {
    const now = Date.parse('2026-03-10T15:30:00Z');
    const [a, b] = [await newLake(), await newLake()];
    const logA = createMemoryEventLog();
    const first = await seedDemoHistory({ store: a, log: logA, tenantId: 'demo-shop', days: 3, now });
    expect(first.seeded).toBe(true);
    expect(first.rawEvents).toBeGreaterThan(1000);
    expect(first.loggedEvents).toBeGreaterThan(100);
    const dates = new Set((await a.list('raw/tenant=demo-shop/')).map((k) => /date=([\d-]+)/.exec(k)![1]));
    expect([...dates].sort()).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    // Today's events are all from today, none from the future.
    const logged = logA.records().map((r) => Date.parse(r.value.timestamp));
    expect(logged).toHaveLength(first.loggedEvents);
    expect(Math.min(...logged)).toBeGreaterThanOrEqual(Date.parse('2026-03-10T00:00:00Z'));
    expect(Math.max(...logged)).toBeLessThan(now);

    // Once per lake: a restart does not add a second history.
    expect((await seedDemoHistory({ store: a, log: logA, tenantId: 'demo-shop', days: 3, now: now + 60_000 })).seeded).toBe(false);
    // Deterministic: another lake gets the same objects, byte for byte.
    await seedDemoHistory({ store: b, log: createMemoryEventLog(), tenantId: 'demo-shop', days: 3, now });
    const keys = await a.list('raw/');
    expect(await b.list('raw/')).toEqual(keys);
    for (const key of keys.slice(0, 10)) expect(Buffer.from((await b.get(key))!).equals(Buffer.from((await a.get(key))!))).toBe(true);
  });

  it('gives `npm start` a merged answer at once: past days from the batch views, today from the speed layer', async () => {
    const t = await startTestApp({
      start: 'real',
      env: {
        ANALYTICS_DEMO_TENANT: 'demo-shop',
        ANALYTICS_DEMO_WRITE_KEY: `wk_${'w'.repeat(40)}`,
        ANALYTICS_DEMO_READ_KEY: `rk_${'r'.repeat(40)}`,
        ANALYTICS_DEMO_HISTORY_DAYS: '3',
        ANALYTICS_BATCH_GRACE_MS: '1',
      },
    });
    try {
      const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
      type Answer = { watermark: string | null; layers: Array<{ layer: string }>; series: Array<{ value: number }> };
      let answer: Answer | undefined;
      await until(
        'the first batch run to publish the past days',
        async () => {
          const res = await t.app.server.inject({
            url: `/v1/query?metric=pageviews&granularity=day&from=${new Date(today - 3 * DAY_MS).toISOString()}`,
            headers: { authorization: `Bearer rk_${'r'.repeat(40)}` },
          });
          answer = res.json() as Answer;
          return res.statusCode === 200 && answer.watermark === new Date(today).toISOString();
        },
        60_000,
      );
      expect(answer!.layers.map((l) => l.layer)).toEqual(['batch', 'speed']);
      // The batch-served days are whole days of traffic (today may have none yet just after midnight).
      expect(answer!.series.slice(0, 3).every((p) => p.value > 0)).toBe(true);
    } finally {
      await t.cleanup();
    }
  }, 90_000);
});
