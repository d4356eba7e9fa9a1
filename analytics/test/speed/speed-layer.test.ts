import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { MetricDeclaration } from '../../src/contracts/metrics.ts';
import { bucketStart, type AggregateStore, type CellValue } from '../../src/contracts/aggregate-store.ts';
import { createMemoryAggregateStore } from '../../src/speed/memory-aggregate-store.ts';
import { startSpeedLayer as start, type SpeedLayer, type SpeedLayerOptions } from '../../src/speed/speed-layer.ts';
import { orderCompleted, pageView } from './events.fixture.ts';
import { createMemoryEventLog } from './memory-event-log.ts';
import { until } from './until.ts';

const logger = pino({ level: 'silent' });
const NOW = Date.parse('2026-11-25T12:00:30.000Z');
const MINUTE_AGO = '2026-11-25T11:59:10.000Z';
const minute = bucketStart(Date.parse(MINUTE_AGO), 'minute');
const quarter = bucketStart(Date.parse(MINUTE_AGO), 'quarter');

async function cell(store: AggregateStore, tenantId: string, metric: string, kind: CellValue['kind'], resolution: 'minute' | 'quarter' = 'minute') {
  const [reading] = await store.read({ tenantId, metric, kind, resolution, buckets: [resolution === 'minute' ? minute : quarter] });
  return reading?.total ?? null;
}
const amount = async (store: AggregateStore, tenantId: string, metric: string, resolution: 'minute' | 'quarter' = 'minute') => {
  const value = await cell(store, tenantId, metric, 'count', resolution);
  return value && 'amount' in value ? value.amount : 0;
};

// Every layer a test starts is stopped, even when the test fails, so a failure cannot hang the run.
const running: SpeedLayer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});
function startSpeedLayer(options: SpeedLayerOptions): SpeedLayer {
  const speed = start(options);
  running.push(speed);
  return speed;
}

/** Runs a speed layer until it has consumed everything in the log, then stops it. */
async function drain(options: SpeedLayerOptions, expectedEvents: number) {
  const speed = startSpeedLayer(options);
  await until('speed layer to consume the log', () => speed.stats().events >= expectedEvents);
  await speed.stop();
  return speed.stats();
}

describe('speed layer', () => {
  it('counts exactly what the log holds, per tenant, in minute and quarter-hour buckets', async () => {
    const log = createMemoryEventLog(4);
    const store = createMemoryAggregateStore({ now: () => NOW });
    const events = [
      ...Array.from({ length: 300 }, () => pageView('acme', MINUTE_AGO)),
      ...Array.from({ length: 120 }, () => pageView('globex', MINUTE_AGO)),
      ...Array.from({ length: 7 }, () => pageView('acme', MINUTE_AGO, { isBot: true })),
      orderCompleted('acme', MINUTE_AGO, 19.99),
      orderCompleted('acme', MINUTE_AGO, '0.01'),
      orderCompleted('acme', MINUTE_AGO, '1.001'),
    ];
    await log.append(events.map((value) => ({ key: value.tenantId, value })));
    await drain({ log, store, logger, now: () => NOW, flushMs: 50 }, events.length);

    expect(await amount(store, 'acme', 'pageviews')).toBe(300);
    expect(await amount(store, 'acme', 'pageviews', 'quarter')).toBe(300);
    expect(await amount(store, 'globex', 'pageviews')).toBe(120);
    expect(await amount(store, 'acme', 'bots')).toBe(7);
    expect(await amount(store, 'acme', 'events')).toBe(303);
    expect(await cell(store, 'acme', 'revenue', 'sum')).toEqual({ kind: 'sum', amount: 2000 });
    const users = await cell(store, 'acme', 'unique_users', 'unique');
    expect(users?.kind === 'unique' && Math.round(users.sketch.estimate())).toBe(7);
    const top = await cell(store, 'acme', 'top_pages', 'topk');
    expect(top?.kind === 'topk' && top.top.total()).toBe(300);
    expect(await store.tenantStatus('acme')).toEqual({
      late: 0,
      rejected: 1,
      lastEventTime: Date.parse(MINUTE_AGO),
      lastReceivedAt: Date.parse(MINUTE_AGO),
    });
  });

  it('writes one batch per flush, not one write per event', async () => {
    const log = createMemoryEventLog(1);
    const inner = createMemoryAggregateStore({ now: () => NOW });
    let calls = 0;
    const store: AggregateStore = { ...inner, applyBatch: (batches) => (calls++, inner.applyBatch(batches)) };
    await log.append(Array.from({ length: 2500 }, () => ({ key: 'acme', value: pageView('acme', MINUTE_AGO) })));
    await drain({ log, store, logger, now: () => NOW, flushMs: 60_000, maxBufferedEvents: 1000 }, 2500);
    // 1000 + 1000 at the size threshold, the last 500 on stop.
    expect(calls).toBe(3);
    expect(await amount(store, 'acme', 'pageviews')).toBe(2500);
  });

  it('puts a late event in its own live bucket, and tallies one whose bucket had expired when it arrived', async () => {
    const log = createMemoryEventLog(1);
    const store = createMemoryAggregateStore({ now: () => NOW });
    const twoHoursAgo = '2026-11-25T10:00:05.000Z';
    const threeDaysAgo = '2026-11-22T12:00:00.000Z';
    const receivedNow = { receivedAt: new Date(NOW).toISOString() };
    await log.append(
      [pageView('acme', twoHoursAgo, receivedNow), pageView('acme', threeDaysAgo, receivedNow), pageView('acme', threeDaysAgo, receivedNow)].map((value) => ({ key: 'acme', value })),
    );
    await drain({ log, store, logger, now: () => NOW, flushMs: 50 }, 3);
    const [old] = await store.read({ tenantId: 'acme', metric: 'pageviews', kind: 'count', resolution: 'minute', buckets: [Date.parse('2026-11-25T10:00:00Z')] });
    expect(old?.total).toEqual({ kind: 'count', amount: 1 });
    expect((await store.tenantStatus('acme')).late).toBe(2);
    const [quarterOfLate] = await store.read({ tenantId: 'acme', metric: 'pageviews', kind: 'count', resolution: 'quarter', buckets: [Date.parse(threeDaysAgo)] });
    expect(quarterOfLate?.total).toBeNull();
  });

  it('judges lateness at receipt, not when the record is read, so a replay days later folds it the same way', async () => {
    const log = createMemoryEventLog(1);
    const store = createMemoryAggregateStore({ now: () => NOW });
    // Received on time three days ago; read only now (a lagging consumer, or a replay).
    const threeDaysAgo = '2026-11-22T12:00:00.000Z';
    await log.append([{ key: 'acme', value: pageView('acme', threeDaysAgo) }]);
    await drain({ log, store, logger, now: () => NOW, flushMs: 50 }, 1);
    expect((await store.tenantStatus('acme')).late).toBe(0);
    const [quarterly] = await store.read({ tenantId: 'acme', metric: 'pageviews', kind: 'count', resolution: 'quarter', buckets: [Date.parse(threeDaysAgo)] });
    expect(quarterly?.total).toEqual({ kind: 'count', amount: 1 });
    // Its minute bucket has expired meanwhile: the store drops that cell, as it would have by now anyway.
    const [minutely] = await store.read({ tenantId: 'acme', metric: 'pageviews', kind: 'count', resolution: 'minute', buckets: [Date.parse(threeDaysAgo)] });
    expect(minutely?.total).toBeNull();
  });

  it('skips excluded records entirely, tallies included, while their offsets advance', async () => {
    const log = createMemoryEventLog(1);
    const store = createMemoryAggregateStore({ now: () => NOW });
    const erased = pageView('acme', MINUTE_AGO, { userId: 'erased', receivedAt: new Date(NOW).toISOString(), properties: { revenue: 'not a number' } });
    const lateErased = pageView('acme', '2026-11-20T00:00:00.000Z', { userId: 'erased', receivedAt: new Date(NOW).toISOString() });
    const kept = pageView('acme', MINUTE_AGO, { userId: 'kept', receivedAt: '2026-11-25T11:59:20.000Z' });
    await log.append([erased, kept, lateErased, erased].map((value) => ({ key: 'acme', value })));
    const stats = await drain({ log, store, logger, now: () => NOW, flushMs: 50, exclude: (e) => e.userId === 'erased' }, 4);
    expect(stats).toMatchObject({ events: 4, excluded: 3 });
    expect(await amount(store, 'acme', 'pageviews')).toBe(1);
    const users = await cell(store, 'acme', 'unique_users', 'unique');
    expect(users?.kind === 'unique' && Math.round(users.sketch.estimate())).toBe(1);
    expect(await store.tenantStatus('acme')).toEqual({ late: 0, rejected: 0, lastEventTime: Date.parse(MINUTE_AGO), lastReceivedAt: Date.parse('2026-11-25T11:59:20.000Z') });
    expect(await store.positions([0])).toEqual(new Map([[0, 4]]));
  });

  it('after a purge refuses its flush, syncs the exclusion list (retrying a failed sync) before reading the records again', async () => {
    const log = createMemoryEventLog(1);
    const store = createMemoryAggregateStore({ now: () => NOW });
    let syncs = 0;
    const syncExclude = async () => {
      if (++syncs === 1) throw new Error('lake unreachable');
    };
    const speed = startSpeedLayer({ log, store, logger, now: () => NOW, flushMs: 20, syncExclude });
    await log.append(Array.from({ length: 50 }, () => ({ key: 'acme', value: pageView('acme', MINUTE_AGO) })));
    await until('the first records', async () => (await store.positions([0])).get(0) === 50);
    await store.purgeTenant('someone-else');
    await log.append(Array.from({ length: 10 }, () => ({ key: 'acme', value: pageView('acme', MINUTE_AGO) })));
    await until('the records after the purge', async () => (await store.positions([0])).get(0) === 60);
    await speed.stop();
    expect(speed.stats().conflicts).toBe(1);
    expect(syncs).toBe(2);
    expect(await amount(store, 'acme', 'pageviews')).toBe(60);
  });

  it('splits partitions between members so two processes count each event once', async () => {
    const log = createMemoryEventLog(4);
    const store = createMemoryAggregateStore({ now: () => NOW });
    for (let p = 0; p < 4; p++) log.appendTo(p, Array.from({ length: 50 }, () => ({ key: 'acme', value: pageView('acme', MINUTE_AGO) })));
    const a = startSpeedLayer({ log, store, logger, now: () => NOW, flushMs: 50, members: { index: 0, count: 2 } });
    const b = startSpeedLayer({ log, store, logger, now: () => NOW, flushMs: 50, members: { index: 1, count: 2 } });
    await until('both members to consume', () => a.stats().events === 100 && b.stats().events === 100);
    await Promise.all([a.stop(), b.stop()]);
    expect(await amount(store, 'acme', 'pageviews')).toBe(200);
    expect(await store.positions([0, 1, 2, 3])).toEqual(new Map([[0, 50], [1, 50], [2, 50], [3, 50]]));
  });

  it('derives a newly declared metric with no other code', async () => {
    const signups: MetricDeclaration = { name: 'signups', description: '', filter: { events: ['Signed Up'] }, measure: { kind: 'count' }, breakdowns: [] };
    const log = createMemoryEventLog(1);
    const store = createMemoryAggregateStore({ now: () => NOW });
    await log.append([{ key: 'acme', value: pageView('acme', MINUTE_AGO, { type: 'track', event: 'Signed Up' }) }]);
    await drain({ log, store, logger, now: () => NOW, flushMs: 50, metrics: [signups] }, 1);
    expect(await amount(store, 'acme', 'signups')).toBe(1);
  });
});

describe('speed layer after a crash', () => {
  it('does not double count when the store applied a flush but the process never heard back', async () => {
    const log = createMemoryEventLog(1);
    const inner = createMemoryAggregateStore({ now: () => NOW });
    let lose = 2;
    // The write lands, then the reply is lost (a timeout, a dropped connection): the layer must retry.
    const store: AggregateStore = {
      ...inner,
      async applyBatch(batches) {
        const outcomes = await inner.applyBatch(batches);
        if (lose-- > 0) throw new Error('connection reset');
        return outcomes;
      },
    };
    await log.append(Array.from({ length: 40 }, () => ({ key: 'acme', value: pageView('acme', MINUTE_AGO) })));
    const speed = startSpeedLayer({ log, store, logger, now: () => NOW, flushMs: 20 });
    await until('the retry to land', async () => lose < 0 && (await inner.positions([0])).get(0) === 40);
    await log.append(Array.from({ length: 10 }, () => ({ key: 'acme', value: pageView('acme', MINUTE_AGO) })));
    await until('the new events', async () => (await inner.positions([0])).get(0) === 50);
    await speed.stop();
    expect(await amount(inner, 'acme', 'pageviews')).toBe(50);
  });

  it('replaying records already applied (a restart from an older position) changes nothing', async () => {
    const log = createMemoryEventLog(2);
    const store = createMemoryAggregateStore({ now: () => NOW });
    for (let p = 0; p < 2; p++) log.appendTo(p, Array.from({ length: 1500 }, () => ({ key: 'acme', value: pageView('acme', MINUTE_AGO) })));
    await drain({ log, store, logger, now: () => NOW, flushMs: 30 }, 3000);
    expect(await amount(store, 'acme', 'pageviews')).toBe(3000);

    // A restarted process that lost track of where it was reads everything again from 0.
    let forgotten = false;
    const forgetful: AggregateStore = {
      ...store,
      positions: async (partitions) => (forgotten ? store.positions(partitions) : ((forgotten = true), new Map())),
    };
    for (let p = 0; p < 2; p++) log.appendTo(p, Array.from({ length: 5 }, () => ({ key: 'acme', value: pageView('acme', MINUTE_AGO) })));
    const stats = await drain({ log, store: forgetful, logger, now: () => NOW, flushMs: 30, maxBufferedEvents: 700 }, 3010);
    expect(stats.duplicates + stats.conflicts).toBeGreaterThan(0);
    await until('the new events after the replay', async () => {
      const positions = await store.positions([0, 1]);
      return positions.get(0) === 1505 && positions.get(1) === 1505;
    });
    expect(await amount(store, 'acme', 'pageviews')).toBe(3010);
  });
});
