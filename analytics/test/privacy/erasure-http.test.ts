import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@shop/platform';
import { realEngine } from '@shop/platform/testing';
import { createAnalyticsApp, type AnalyticsApp } from '../../src/app.ts';
import { runBatch } from '../../src/batch/index.ts';
import { loadAnalyticsConfig } from '../../src/config.ts';
import { METRICS } from '../../src/contracts/metrics.ts';
import { createMemoryAggregateStore } from '../../src/speed/index.ts';
import type { AggregateStore } from '../../src/contracts/index.ts';
import { removeKeys } from '../speed/redis-keys.ts';
import { deleteStreams } from '../support/nats-streams.ts';
import { until } from '../speed/until.ts';

/*
 * GDPR erasure as an operator runs it: POST /admin/tenants/:id/erasures on the running app, then
 * every answer of the query API must be what it would be had the person never been there. The
 * reference is a second tenant that received the same events minus the person's, through the
 * same collector, log, speed layer, archiver and batch job; so "gone" is checked against what the
 * system itself computes without the person, for every metric, breakdown and granularity.
 */
const DAY_MS = 24 * 3_600_000;
const ADMIN = 'erasure-test-admin-token-0123';
const SHOP = 'shop';
const REF = 'ref';
const PERSON = { userId: 'jane@example.com', laptop: 'jane-laptop', phone: 'jane-phone' };
// Today's UTC midnight, taken when the suite starts sending (a run across midnight keeps its own).
let watermark = 0;

interface Running {
  app: AnalyticsApp;
  baseUrl: string;
}

const redis = await realEngine('redis');
const nats = await realEngine('nats');

/** Embedded: file log and in-process views. Real: the log on NATS JetStream; views, tenants and dedup in Redis. */
interface Engines {
  env: Record<string, string>;
  /** In-process views survive the restart only if the test keeps them. */
  aggregates?: AggregateStore;
  cleanup(): Promise<void>;
}

const embedded = (): Engines => {
  const aggregates = createMemoryAggregateStore();
  return { env: {}, aggregates, cleanup: () => aggregates.close() };
};

const realEngines = (): Engines => {
  const run = randomUUID().slice(0, 8);
  const redisPrefix = `test:erasure-http:${run}:`;
  const streamPrefix = `eh_${run}`;
  return {
    env: { REDIS_URL: redis.url, NATS_URL: nats.url, ANALYTICS_REDIS_PREFIX: redisPrefix, ANALYTICS_NATS_STREAM_PREFIX: streamPrefix },
    async cleanup() {
      await removeKeys(redis.url, `${redisPrefix}*`);
      await deleteStreams(nats.url, streamPrefix);
    },
  };
};

let dir: string;
let engines: Engines;
let running: Running;
let keys: Record<string, { write: string; read: string }> = {};
let sentTo: Record<string, number> = {};

async function start(env: Record<string, string>): Promise<Running> {
  const config = loadAnalyticsConfig({
    ...engines.env,
    DATA_DIR: dir,
    ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0',
    // The suite asks every metric x breakdown x granularity for two tenants three times within a minute,
    // more than a read key's per-minute budget; the budget has its own test (test/http/guards.test.ts).
    ANALYTICS_RATE_LIMIT_MAX: '0',
    ANALYTICS_ADMIN_TOKEN: ADMIN,
    ANALYTICS_LOG_PARTITIONS: '1',
    ARCHIVE_FLUSH_MS: '50',
    ANALYTICS_BATCH_EVERY_MS: '3600000',
    ...env,
  });
  const app = await createAnalyticsApp(config, createLogger('erasure-http-test', 'silent'), engines.aggregates ? { aggregates: engines.aggregates } : {});
  await app.server.listen({ host: '127.0.0.1', port: 0 });
  return { app, baseUrl: `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}` };
}

async function send(tenantId: string, events: object[]): Promise<void> {
  const res = await fetch(`${running.baseUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${keys[tenantId]!.write}:`).toString('base64')}` },
    body: JSON.stringify({ batch: events }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  sentTo[tenantId] = (sentTo[tenantId] ?? 0) + events.length;
}

/** Every line of the tenant's raw objects. */
async function rawLines(tenantId: string): Promise<string[]> {
  const store = running.app.objectStore;
  const lines: string[] = [];
  for (const key of await store.list(`raw/tenant=${tenantId}/`)) {
    if (!key.endsWith('.ndjson')) continue; // the archiver's .rewritten markers are not events
    const body = await store.get(key);
    if (body) lines.push(...Buffer.from(body).toString('utf8').split('\n').filter(Boolean));
  }
  return lines;
}

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${running.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...init.headers } });

/** The parts of an answer that say what was counted (not when it was asked). */
async function answer(tenantId: string, params: Record<string, string>): Promise<unknown> {
  const res = await fetch(`${running.baseUrl}/v1/query?${new URLSearchParams(params)}`, { headers: { authorization: `Bearer ${keys[tenantId]!.read}` } });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) return { status: res.status, body };
  return { series: body.series, total: body.total, watermark: body.watermark, layers: body.layers };
}

/** Every metric, over both layers by day and hour, the last hour by minute, and each breakdown. */
function questions(): Array<Record<string, string>> {
  const to = new Date(Math.ceil((Date.now() + 60_000) / 60_000) * 60_000).toISOString();
  const out: Array<Record<string, string>> = [];
  for (const m of METRICS) {
    const ranges = [
      { granularity: 'day', from: new Date(watermark - 2 * DAY_MS).toISOString(), to },
      { granularity: 'hour', from: new Date(watermark - DAY_MS).toISOString(), to },
      { granularity: 'minute', from: new Date(Date.parse(to) - 3_600_000).toISOString(), to },
    ];
    for (const range of ranges) {
      out.push({ metric: m.name, ...range });
      for (const breakdown of m.breakdowns) out.push({ metric: m.name, ...range, breakdown });
    }
  }
  return out;
}

async function differences(): Promise<string[]> {
  const found: string[] = [];
  for (const q of questions()) {
    const [shop, ref] = await Promise.all([answer(SHOP, q), answer(REF, q)]);
    // A refused question (say a 429) is named as such, not mistaken for a difference in what was counted.
    const refused = [shop, ref].map((a) => (a as { status?: number }).status).filter(Boolean);
    if (JSON.stringify(shop) !== JSON.stringify(ref)) found.push(`${new URLSearchParams(q)}${refused.length ? ` (HTTP ${refused.join(', ')})` : ''}`);
  }
  return found;
}

/** A day of traffic: three other people, and the person browsing anonymously on two devices, logging in and buying. */
function traffic(at: (minute: number) => string, tag: string): { everyone: object[]; person: object[] } {
  const page = (id: string, who: object, minute: number, path: string, referrer = 'https://google.com/') => ({
    type: 'page',
    messageId: `${tag}-${id}`,
    ...who,
    timestamp: at(minute),
    context: { page: { path, referrer }, campaign: { source: minute % 2 ? 'newsletter' : 'ads' }, sessionId: `${tag}-s-${JSON.stringify(who).length}` },
    properties: { category: path.split('/')[1] ?? 'home' },
  });
  const order = (id: string, who: object, minute: number, revenue: number) => ({
    type: 'track',
    event: 'Order Completed',
    messageId: `${tag}-${id}`,
    ...who,
    timestamp: at(minute),
    properties: { revenue, category: 'shoes' },
  });
  const others = ['ann', 'bob', 'cy'].flatMap((u, i) => [
    page(`${u}-1`, { userId: u }, i, '/shoes/red'),
    page(`${u}-2`, { userId: u }, i + 3, '/pricing', 'https://news.example/'),
    order(`${u}-3`, { userId: u }, i + 5, 1000 + i),
  ]);
  const person = [
    page('p-1', { anonymousId: PERSON.laptop }, 1, '/secret/janes-page', 'https://janes-blog.example/'),
    page('p-2', { anonymousId: PERSON.phone }, 2, '/shoes/blue'),
    { type: 'identify', messageId: `${tag}-p-3`, userId: PERSON.userId, anonymousId: PERSON.laptop, timestamp: at(3), traits: { email: PERSON.userId } },
    { type: 'alias', messageId: `${tag}-p-4`, previousId: PERSON.phone, userId: PERSON.userId, timestamp: at(4) },
    page('p-5', { userId: PERSON.userId }, 5, '/secret/janes-page'),
    order('p-6', { userId: PERSON.userId, anonymousId: PERSON.laptop }, 6, 99_999),
  ];
  return { everyone: others, person };
}

describe.each([
  { name: 'embedded engines', make: embedded, skip: false },
  { name: 'NATS JetStream and Redis', make: realEngines, skip: !redis.available || !nats.available },
])('erasing a person through the admin API ($name)', ({ make, skip }) => {
  beforeAll(async () => {
    if (skip) return;
    dir = await mkdtemp(join(tmpdir(), 'erasure-http-'));
    engines = make();
    watermark = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    keys = {};
    sentTo = { [SHOP]: 0, [REF]: 0 };
    // 1. The traffic arrives (yesterday's and the last minutes'), archived and counted.
    running = await start({ ANALYTICS_BATCH_IN_PROCESS: 'false' });
    for (const id of [SHOP, REF]) {
      const created = await running.app.tenants.createTenant({ id, name: id, timeZone: 'UTC' });
      const write = await running.app.tenants.createKey(id, 'write');
      const read = await running.app.tenants.createKey(id, 'read');
      if (!created.ok || !write.ok || !read.ok) throw new Error('setup failed');
      keys[id] = { write: write.value.plainKey, read: read.value.plainKey };
    }
    const now = Date.now();
    const days = [
      traffic((m) => new Date(watermark - 20 * 3_600_000 + m * 60_000).toISOString(), 'y'),
      traffic((m) => new Date(Math.max(watermark, now - 10 * 60_000) + m * 30_000).toISOString(), 't'),
    ];
    for (const day of days) {
      await send(SHOP, [...day.everyone, ...day.person]);
      await send(REF, day.everyone);
    }
    await until('the archiver to write every event', async () => (await rawLines(SHOP)).length === sentTo[SHOP] && (await rawLines(REF)).length === sentTo[REF]);
    // 2. Yesterday's batch views (a grace up to now: these "yesterday" events arrived today).
    const batchedAt = Date.now();
    const graceMs = Math.max(1, batchedAt - watermark - 1);
    const run = await runBatch({ lake: running.app.objectStore, tenants: [SHOP, REF], now: batchedAt, graceMs, threads: 1 });
    expect(run.watermarks).toEqual({ [SHOP]: watermark, [REF]: watermark });
    await running.app.close();
    // 3. The app restarts with its erasure runner (it runs with the batch schedule).
    running = await start({ ANALYTICS_BATCH_GRACE_MS: String(graceMs) });
  }, 120_000);

  afterAll(async () => {
    if (skip) return;
    await running?.app.close();
    await engines?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)('answers with the person everywhere before, and as if they had never come after; new events of theirs are left out', async () => {
    const before = await differences();
    // The person is in every metric (bots aside), in both layers.
    expect(before.length).toBeGreaterThan(20);
    expect(await answer(SHOP, { metric: 'events', granularity: 'day', from: new Date(watermark - DAY_MS).toISOString() })).toMatchObject({
      layers: [{ layer: 'batch' }, { layer: 'speed' }],
    });

    const posted = await admin(`/admin/tenants/${SHOP}/erasures`, { method: 'POST', body: JSON.stringify({ userId: PERSON.userId }) });
    expect(posted.status).toBe(202);
    const location = posted.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^/admin/tenants/${SHOP}/erasures/er-[0-9a-f]{24}$`));
    const view = (await posted.json()) as { id: string; status: string };
    expect(view.status).toBe('pending');
    expect(JSON.stringify(view)).not.toContain(PERSON.userId);

    let status: { status: string; counts?: Record<string, number>; steps: Record<string, string> } | undefined;
    await until(
      'the erasure to complete',
      async () => {
        status = (await (await admin(location)).json()) as typeof status;
        return status?.status === 'done';
      },
      60_000,
    );
    // Both devices: the laptop through identify, the phone through alias.
    expect(status!.counts).toMatchObject({ identities: 4, linesRemoved: 12, datesRecomputed: 1 });
    expect(Object.keys(status!.steps).sort()).toEqual(['expandedAt', 'recomputedAt', 'rewrittenAt', 'speedRebuiltAt']);

    expect(await differences()).toEqual([]);
    const raw = (await rawLines(SHOP)).join('\n');
    for (const id of Object.values(PERSON)) expect(raw).not.toContain(id);
    expect(raw).toContain('ann');

    // The person comes back on the same laptop: the new event is neither counted nor archived.
    const eventsToday = { metric: 'events', granularity: 'day', from: new Date(watermark).toISOString() };
    const counted = async () => ((await answer(REF, eventsToday)) as { total: { value: number } }).total.value;
    const countedBefore = await counted();
    const again = traffic((m) => new Date(Date.now() - 60_000 + m * 1000).toISOString(), 'after');
    await send(SHOP, [again.person[0]!, again.everyone[0]!]);
    await send(REF, [again.everyone[0]!]);
    // One log partition: once the reference's event is counted and archived, so are the shop's, sent before it.
    await until('the other visitor to be counted and archived in both tenants', async () => {
      const [shop, ref] = await Promise.all([rawLines(SHOP), rawLines(REF)]);
      return shop.some((l) => l.includes('after-ann-1')) && ref.some((l) => l.includes('after-ann-1')) && (await counted()) === countedBefore + 1;
    });
    expect(await differences()).toEqual([]);
    expect((await rawLines(SHOP)).join('\n')).not.toContain(PERSON.laptop);

    // Listed with its status; the same request again is the same, finished request.
    const list = (await (await admin(`/admin/tenants/${SHOP}/erasures`)).json()) as { erasures: Array<{ id: string; status: string }> };
    expect(list.erasures).toEqual([expect.objectContaining({ id: view.id, status: 'done' })]);
    const repeat = await admin(`/admin/tenants/${SHOP}/erasures`, { method: 'POST', body: JSON.stringify({ userId: PERSON.userId }) });
    expect(repeat.status).toBe(200);
    expect(((await repeat.json()) as { id: string }).id).toBe(view.id);
  }, 120_000);

  it.skipIf(skip)('refuses what it cannot do, saying why', async () => {
    const cases: Array<[string, RequestInit & { token?: string }, number, RegExp]> = [
      [`/admin/tenants/${SHOP}/erasures`, { method: 'POST', body: '{}' }, 400, /userId, anonymousIds/],
      [`/admin/tenants/${SHOP}/erasures`, { method: 'POST', body: JSON.stringify({ userId: '' }) }, 400, /userId/],
      [`/admin/tenants/${SHOP}/erasures`, { method: 'POST', body: JSON.stringify({ userId: 'x', email: 'x@y' }) }, 400, /email/],
      [`/admin/tenants/${SHOP}/erasures`, { method: 'POST', body: JSON.stringify({ anonymousIds: Array(101).fill('a') }) }, 400, /anonymousIds/],
      [`/admin/tenants/nobody/erasures`, { method: 'POST', body: JSON.stringify({ userId: 'x' }) }, 404, /nobody/],
      [`/admin/tenants/${SHOP}/erasures/er-000000000000000000000000`, {}, 404, /er-0/],
      [`/admin/tenants/${SHOP}/erasures/whatever`, {}, 400, /requestId/],
    ];
    for (const [path, init, status, message] of cases) {
      const res = await admin(path, init);
      expect(res.status, path).toBe(status);
      expect(await res.text()).toMatch(message);
    }
    // A damaged request object is named in the list and answered 409 (a GDPR list must not be half-read silently).
    const damaged = `erasures/tenant=${SHOP}/er-ffffffffffffffffffffffff.json`;
    await running.app.objectStore.put(damaged, '{"version":1');
    try {
      const list = (await (await admin(`/admin/tenants/${SHOP}/erasures`)).json()) as { unreadable: string[] };
      expect(list.unreadable).toEqual([damaged]);
      const one = await admin(`/admin/tenants/${SHOP}/erasures/er-ffffffffffffffffffffffff`);
      expect(one.status).toBe(409);
      expect(await one.text()).toMatch(/unreadable.*repair or delete/);
    } finally {
      await running.app.objectStore.delete(damaged);
    }
    const anonymous = await fetch(`${running.baseUrl}/admin/tenants/${SHOP}/erasures`, { method: 'POST', body: '{"userId":"x"}', headers: { 'content-type': 'application/json' } });
    expect(anonymous.status).toBe(401);
    // A read key is not an admin token.
    const reader = await fetch(`${running.baseUrl}/admin/tenants/${SHOP}/erasures`, { headers: { authorization: `Bearer ${keys[SHOP]!.read}` } });
    expect(reader.status).toBe(401);
  });
});
