import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { orderCompleted, pageView } from '../speed/events.fixture.ts';
import { until } from '../speed/until.ts';
import { auth, queryApp } from './query-app.fixture.ts';

const NOW = Date.parse('2026-11-25T12:00:00.000Z');
const AT_10 = '2026-11-25T10:05:00.000Z';
const AT_11 = '2026-11-25T11:05:00.000Z';
const RANGE = 'granularity=hour&from=2026-11-25T10:00:00Z&to=2026-11-25T12:00:00Z';

let closeApp: (() => Promise<unknown>) | undefined;
afterEach(async () => {
  await closeApp?.();
  closeApp = undefined;
});

async function seeded() {
  const fixture = await queryApp(NOW, { streamIntervalMs: 50 });
  closeApp = () => fixture.app.close();
  const users = ['u1', 'u2', 'u3'];
  await fixture.ingest([
    // The same three people in both hours: a distinct count over the range is 3, not 6.
    ...users.map((userId, i) => pageView('acme', AT_10, { userId, receivedAt: '2026-11-25T11:59:58.000Z', context: { page: { path: i ? '/a' : '/b' } } })),
    ...users.map((userId) => pageView('acme', AT_11, { userId, receivedAt: '2026-11-25T11:59:58.000Z', context: { page: { path: '/a' } } })),
    orderCompleted('acme', AT_11, '19.99'),
    ...Array.from({ length: 5 }, () => pageView('globex', AT_10)),
  ]);
  return fixture;
}

type Body = {
  series: { start: string; value: number; top?: { item: string; count: number }[]; breakdown?: Record<string, number> }[];
  total: { value: number; top?: unknown };
  decimals?: number;
  freshness: { lastEventTime: string | null; lagMs: number | null };
  message?: string;
};

describe('GET /v1/query', () => {
  it('answers a series with a range total and freshness', async () => {
    const { app } = await seeded();
    const res = await app.inject({ url: `/v1/query?metric=pageviews&${RANGE}`, headers: auth('read-acme') });
    const body = res.json<Body>();
    expect(res.statusCode).toBe(200);
    expect(body.series.map((p) => [p.start, p.value])).toEqual([
      ['2026-11-25T10:00:00+00:00', 3],
      ['2026-11-25T11:00:00+00:00', 3],
    ]);
    expect(body.total.value).toBe(6);
    expect(body.freshness).toEqual({ lastEventTime: AT_11, lagMs: 2000, late: 0, rejected: 0 });
  });

  it('merges unique sketches over the range instead of adding points', async () => {
    const { app } = await seeded();
    const body = (await app.inject({ url: `/v1/query?metric=unique_users&${RANGE}`, headers: auth('read-acme') })).json<Body>();
    expect(body.series.map((p) => p.value)).toEqual([3, 4]); // the order was placed by a fixture user too
    expect(body.total.value).toBe(4);
  });

  it('breaks down by an allowed dimension, ranks top-K and sums revenue exactly', async () => {
    const { app } = await seeded();
    const breakdown = (await app.inject({ url: `/v1/query?metric=pageviews&${RANGE}&breakdown=context.page.path&limit=1`, headers: auth('read-acme') })).json<Body>();
    expect(breakdown.series.map((p) => p.breakdown)).toEqual([{ '/a': 2 }, { '/a': 3 }]);
    const top = (await app.inject({ url: `/v1/query?metric=top_pages&${RANGE}&limit=2`, headers: auth('read-acme') })).json<Body>();
    expect(top.total.top).toEqual([
      { item: '/a', count: 5 },
      { item: '/b', count: 1 },
    ]);
    const revenue = (await app.inject({ url: `/v1/query?metric=revenue&${RANGE}`, headers: auth('read-acme') })).json<Body>();
    expect(revenue.total.value).toBe(1999);
    expect(revenue.decimals).toBe(2);
  });

  it('lets the read key alone decide the tenant', async () => {
    const { app } = await seeded();
    const asGlobex = await app.inject({ url: `/v1/query?metric=pageviews&${RANGE}&tenant=acme&tenantId=acme`, headers: auth('read-globex') });
    expect(asGlobex.statusCode).toBe(200);
    expect(asGlobex.json<Body>().total.value).toBe(5);
    const basic = { authorization: `Basic ${Buffer.from('read-acme:').toString('base64')}` };
    expect((await app.inject({ url: `/v1/query?metric=pageviews&${RANGE}`, headers: basic })).json<Body>().total.value).toBe(6);
    expect((await app.inject({ url: `/v1/query?metric=pageviews&${RANGE}` })).statusCode).toBe(401);
    expect((await app.inject({ url: `/v1/query?metric=pageviews&${RANGE}`, headers: auth('write-acme') })).statusCode).toBe(401);
  });

  it('uses the tenant time zone when the query names none', async () => {
    const { app } = await seeded();
    const body = (await app.inject({ url: `/v1/query?metric=pageviews&${RANGE}`, headers: auth('read-globex') })).json<Body>();
    // The range starts at 10:00Z = 15:30 in Kolkata, inside the local hour 15:00-16:00 +05:30.
    expect(body.series[0]?.start).toBe('2026-11-25T15:00:00+05:30');
  });

  it.each([
    ['metric=nope', 'metric'],
    ['metric=pageviews&granularity=week', 'granularity'],
    ['metric=pageviews&tz=Mars/Olympus', 'tz'],
    ['metric=pageviews&from=yesterday', 'from'],
    ['metric=pageviews&from=2026-11-25T12:00:00Z&to=2026-11-25T10:00:00Z', 'from'],
    ['metric=pageviews&to=2026-13-40', 'to'],
    ['metric=pageviews&breakdown=properties.secret', 'breakdown'],
    ['metric=pageviews&limit=0', 'limit'],
    ['metric=pageviews&granularity=minute&from=2026-11-20T00:00:00Z&to=2026-11-20T01:00:00Z', 'from'],
  ])('rejects %s naming %s', async (query, field) => {
    const { app } = await seeded();
    const res = await app.inject({ url: `/v1/query?${query}`, headers: auth('read-acme') });
    expect(res.statusCode).toBe(400);
    expect(res.json<Body>().message).toMatch(new RegExp(`^(querystring\\.)?${field}\\b`));
  });
});

describe('GET /v1/stream', () => {
  it('pushes updates as the views change and closes cleanly when the client leaves', async () => {
    const fixture = await seeded();
    await fixture.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = fixture.app.server.address() as AddressInfo;
    const updates: Body[] = [];
    let buffer = '';
    const req = httpRequest({ port, host: '127.0.0.1', path: `/v1/stream?metric=pageviews&${RANGE}`, headers: auth('read-acme') });
    const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      req.once('response', resolve).once('error', reject).end();
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/event-stream/);
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        if (frame.startsWith('event: update') && data) updates.push(JSON.parse(data.slice(6)) as Body);
      }
    });
    response.on('error', () => undefined);
    await until('a first update', () => updates.length > 0);
    expect(updates[0]?.total.value).toBe(6);
    expect(fixture.openStreams()).toBe(1);

    await fixture.ingest([pageView('acme', AT_11)]);
    await until('an update with the new event', () => updates.some((u) => u.total.value === 7));

    req.destroy();
    await until('the server to drop the stream', () => fixture.openStreams() === 0);
  });
});
