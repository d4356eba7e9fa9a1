import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { bucketStart, METRICS, type AggregateStore, type AnalyticsEvent, type BucketReading, type CellValue, type PartitionBatch } from '../../src/contracts/index.ts';
import { orderCompleted, pageView } from './events.fixture.ts';
import { partitionFor } from '../../src/log/index.ts';
import { aggregateStoreOverChannel, createMemoryAggregateStore, PartitionBuffer, serveAggregateStore } from '../../src/speed/index.ts';
import { freePort, killHard, spawnTs, until, type RunningChild } from '../scale-out/child-processes.ts';

/*
 * The speed layer folding on worker threads (ANALYTICS_SPEED_THREADS): a thread's flushes reach
 * the app's in-process store over a message channel, where the store's position checks decide
 * what is applied, and the views the queries read are the same as with the fold on the main
 * thread. The real app (analytics/src/main.ts as `npm start` runs it) with two speed threads
 * counts every acknowledged event of tenants on both threads' partitions once, before and after
 * kill -9.
 */
const dirs: string[] = [];
const children: RunningChild[] = [];
const channels: MessageChannel[] = [];
afterAll(async () => {
  for (const child of children) await killHard(child);
  for (const channel of channels) channel.port1.close();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const NOW = Date.parse('2026-12-07T10:00:30Z');
const at = (n: number) => new Date(NOW + n * 1000).toISOString();
/** Page views, orders (revenue) and visitors enough to fill every kind of cell: counts, sums, sketches, top-K, visits. */
const traffic = (from: number, count: number): AnalyticsEvent[] =>
  Array.from({ length: count }, (_, i) => (((from + i) % 4 === 0 ? orderCompleted('shop', at(from + i), '12.50') : pageView('shop', at(from + i), { userId: `user-${(from + i) % 23}` }))));

function batchOf(partition: number, from: number, events: AnalyticsEvent[]): PartitionBatch {
  const buffer = new PartitionBuffer(partition, from, METRICS, 49 * 3_600_000);
  events.forEach((e, i) => buffer.add(from + i, e, NOW));
  return buffer.toBatch();
}

async function everyCell(store: AggregateStore): Promise<unknown> {
  const minute = bucketStart(NOW, 'minute');
  const buckets = [minute, minute + 60_000, minute + 120_000];
  const out: unknown[] = [];
  for (const m of METRICS) {
    for (const dimension of [undefined, ...m.breakdowns.slice(0, 2)]) {
      const readings = await store.read({ tenantId: 'shop', metric: m.name, kind: m.measure.kind, resolution: 'minute', buckets, ...(dimension ? { dimension } : {}) });
      out.push([m.name, dimension ?? 'total', readings.map(described)]);
    }
  }
  return out;
}

function described(reading: BucketReading) {
  const value = (v: CellValue | null) =>
    v === null ? null : v.kind === 'unique' ? { unique: v.sketch.estimate(), exact: v.sketch.isExact } : v.kind === 'topk' ? { top: [...v.top.counts].sort(), other: v.top.other } : v;
  return { total: value(reading.total), breakdown: [...reading.breakdown].map(([k, v]) => [k, value(v)]).sort() };
}

describe('the aggregate store over a message channel', () => {
  it('applies, refuses and reads back exactly what the store itself does', async () => {
    const direct = createMemoryAggregateStore({ now: () => NOW });
    const owned = createMemoryAggregateStore({ now: () => NOW });
    const channel = new MessageChannel();
    channels.push(channel);
    serveAggregateStore(channel.port1, owned);
    const remote = aggregateStoreOverChannel(channel.port2, owned.retention);

    // Built once: the fixture numbers its events, so each call would make different ones.
    const events = traffic(0, 120);
    const batch = (from: number, to: number) => batchOf(3, from, events.slice(from, to));
    expect(await remote.applyBatch([batch(0, 60)])).toEqual(await direct.applyBatch([batch(0, 60)]));
    // The same records again (a replay after a crash), then a batch from a position the store does not hold (another member).
    expect(await remote.applyBatch([batch(0, 60), batch(70, 75)])).toEqual(['duplicate', 'conflict']);
    expect(await remote.applyBatch([batch(60, 120)])).toEqual(['applied']);
    await direct.applyBatch([batch(60, 120)]);
    expect(await remote.positions([3, 4])).toEqual(new Map([[3, 120]]));

    expect(await everyCell(owned)).toEqual(await everyCell(direct));
    const users = (await owned.read({ tenantId: 'shop', metric: 'unique_users', kind: 'unique', resolution: 'quarter', buckets: [bucketStart(NOW, 'quarter')] }))[0]!.total;
    expect(users?.kind === 'unique' && users.sketch.estimate()).toBe(23);
    await remote.close();
  });
});

describe('the embedded app with two speed threads', () => {
  it('counts every acknowledged event of tenants on both threads once, and again after kill -9', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'speed-threads-'));
    dirs.push(dir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const admin = 'speed-threads-admin-token-0123456789';
    const env = { DATA_DIR: dir, ANALYTICS_PORT: String(port), ANALYTICS_ADMIN_TOKEN: admin, ANALYTICS_SPEED_THREADS: '2', ANALYTICS_ARCHIVE_THREAD: 'true', LOG_LEVEL: 'warn' };
    const start = async () => {
      const app = spawnTs('analytics', 'analytics/src/main.ts', env);
      children.push(app);
      await until('the app to answer', async () => (await fetch(`${base}/ready`).catch(() => null))?.status === 200, 150_000, () => app.output());
      return app;
    };
    const post = async (path: string, body: unknown, authorization: string) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      return (await res.json()) as { plainKey?: string };
    };

    let app = await start();
    // One tenant on an even partition (thread 0 of 2), one on an odd one (thread 1).
    const ids = Array.from({ length: 40 }, (_, i) => `threads-${i}`);
    const tenants = [ids.find((id) => partitionFor(id, 8) % 2 === 0)!, ids.find((id) => partitionFor(id, 8) % 2 === 1)!].map((id) => ({ id, write: '', read: '', sent: 0 }));
    for (const t of tenants) {
      await post('/admin/tenants', { id: t.id, name: t.id, timeZone: 'UTC' }, `Bearer ${admin}`);
      t.write = `Basic ${Buffer.from(`${(await post(`/admin/tenants/${t.id}/keys`, { kind: 'write', label: 'w' }, `Bearer ${admin}`)).plainKey}:`).toString('base64')}`;
      t.read = `Bearer ${(await post(`/admin/tenants/${t.id}/keys`, { kind: 'read', label: 'r' }, `Bearer ${admin}`)).plainKey}`;
    }
    const from = new Date(Date.now() - 10 * 60_000).toISOString();
    const send = async (t: (typeof tenants)[number], count: number) => {
      const now = new Date().toISOString();
      const batch = Array.from({ length: count }, (_, i) => ({ type: 'track', event: 'Threaded', messageId: randomUUID(), anonymousId: `visitor-${i % 17}`, timestamp: now }));
      await post('/v1/batch', { batch }, t.write);
      t.sent += count;
    };
    const counted = async (t: (typeof tenants)[number], metric = 'events') => {
      const to = new Date(Date.now() + 10 * 60_000).toISOString();
      const res = await fetch(`${base}/v1/query?metric=${metric}&granularity=minute&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { headers: { authorization: t.read } });
      return res.status === 200 ? ((await res.json()) as { total: { value: number } }).total.value : -1;
    };
    const threadNames = () => {
      const tasks = readdirSync(`/proc/${app.child.pid}/task`);
      return tasks.map((tid) => readFileSync(`/proc/${app.child.pid}/task/${tid}/comm`, 'utf8').trim()).filter((n) => /^(speed-\d|archiver)$/.test(n)).sort();
    };
    // Each tenant's last event is visible only once every earlier one of its partition was folded (one partition is read in order).
    const settled = async () => {
      for (const t of tenants) await until(`${t.id} to count ${t.sent} events`, async () => (await counted(t)) >= t.sent, 60_000, async () => `${await counted(t)}; ${app.output()}`);
      return Promise.all(tenants.map(async (t) => [await counted(t), await counted(t, 'unique_users')]));
    };

    expect(threadNames()).toEqual(['archiver', 'speed-0', 'speed-1']);
    for (const t of tenants) for (let i = 0; i < 3; i++) await send(t, 40);
    expect(await settled()).toEqual([
      [120, 17],
      [120, 17],
    ]);

    await killHard(app);
    app = await start();
    // The views were in the killed process: the threads fold the log again from its start, each record once.
    for (const t of tenants) await send(t, 1);
    expect(await settled()).toEqual([
      [121, 17],
      [121, 17],
    ]);
    // A hang guard for two cold starts on a loaded machine, not a performance bound.
  }, 420_000);
});
