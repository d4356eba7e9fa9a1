import { Analytics } from '@segment/analytics-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.ts';

/**
 * The official Segment Node library, unchanged, pointed at our collector: the proof that
 * "set the host" is all a Segment customer has to do.
 */
let t: TestApp;
let host: string;
beforeEach(async () => {
  t = await startTestApp({ start: 'real' });
  await t.app.server.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.server.address();
  if (typeof address !== 'object' || !address) throw new Error('not listening');
  host = `http://127.0.0.1:${address.port}`;
});
afterEach(() => t.cleanup());

function client(writeKey: string) {
  const analytics = new Analytics({ writeKey, host, path: '/v1/batch', flushAt: 2, flushInterval: 50, maxRetries: 3 });
  const statuses: number[] = [];
  const errors: unknown[] = [];
  analytics.on('http_response', (res) => statuses.push(res.status));
  analytics.on('error', (error) => errors.push(error));
  return { analytics, statuses, errors };
}

describe('@segment/analytics-node against the collector', () => {
  it('delivers every call type, unchanged, to the tenant of its write key', async () => {
    const key = await t.tenantWithKey({ id: 'shop' });
    const { analytics, statuses, errors } = client(key);
    analytics.identify({ userId: 'u1', traits: { email: 'a@example.com' } });
    analytics.track({ userId: 'u1', event: 'Order Completed', properties: { revenue: 42.5, currency: 'EUR' } });
    analytics.page({ anonymousId: 'anon-1', name: 'Home', properties: { url: 'https://shop.example/' } });
    analytics.screen({ userId: 'u1', name: 'Cart' });
    analytics.group({ userId: 'u1', groupId: 'org-1', traits: { plan: 'pro' } });
    analytics.alias({ userId: 'u1', previousId: 'anon-1' });
    await analytics.closeAndFlush({ timeout: 20_000 });

    expect(errors).toEqual([]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200)).toBe(true);
    const events = t.log.records().map((r) => r.value);
    expect(events.map((e) => e.type).sort()).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track']);
    expect(new Set(events.map((e) => e.tenantId))).toEqual(new Set(['shop']));
    const track = events.find((e) => e.type === 'track');
    expect(track).toMatchObject({ userId: 'u1', event: 'Order Completed', properties: { revenue: 42.5, currency: 'EUR' }, isBot: false });
    expect(track?.messageId).toMatch(/\S{10,}/);
    expect(track?.context).toMatchObject({ library: { name: '@segment/analytics-node' } });
    // The library sends sentAt with the batch: the collector kept it and fixed the time from it.
    expect(track?.sentAt).toBeDefined();
    expect(Date.parse(track!.timestamp)).toBeLessThanOrEqual(Date.parse(track!.receivedAt));
    expect(events.find((e) => e.type === 'alias')).toMatchObject({ userId: 'u1', previousId: 'anon-1' });
  });

  it('retries through a log outage (503) and the events arrive exactly once', async () => {
    const key = await t.tenantWithKey({ id: 'shop' });
    const { analytics, statuses, errors } = client(key);
    t.log.failNext(1);
    analytics.track({ userId: 'u1', event: 'A' });
    analytics.track({ userId: 'u1', event: 'B' });
    await analytics.closeAndFlush({ timeout: 20_000 });
    expect(errors).toEqual([]);
    expect(statuses).toEqual([503, 200]);
    expect(t.log.records().map((r) => r.value.event)).toEqual(['A', 'B']);
  });

  it('waits out a 429 with Retry-After and then delivers, nothing lost or doubled', async () => {
    const key = await t.tenantWithKey({ id: 'slow', rateLimitPerSecond: 4 });
    // Put the bucket 8 tokens into debt first, so the library's batch is surely limited
    // however slowly this machine runs (it stays limited for 2.5 s).
    const drain = await t.app.server.inject({
      method: 'POST',
      url: '/v1/batch',
      payload: { writeKey: key, batch: Array.from({ length: 12 }, (_, i) => ({ type: 'track', userId: 'u0', event: `pre-${i}` })) },
    });
    expect(drain.statusCode).toBe(200);
    const { analytics, statuses, errors } = client(key);
    analytics.track({ userId: 'u1', event: 'A' });
    analytics.track({ userId: 'u1', event: 'B' });
    await analytics.closeAndFlush({ timeout: 20_000 });
    expect(errors).toEqual([]);
    expect(statuses[0]).toBe(429);
    expect(statuses.at(-1)).toBe(200);
    expect(t.log.records().map((r) => r.value.event).filter((e) => !e?.startsWith('pre-'))).toEqual(['A', 'B']);
  });

  it('reports a failure for an unknown write key and stores nothing', async () => {
    const { analytics, statuses } = client('wk_not-a-real-key');
    const delivered = await new Promise<unknown>((resolve) => analytics.track({ userId: 'u1', event: 'X' }, (err) => resolve(err)));
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(delivered).toBeTruthy();
    expect(statuses).toEqual([401]);
    expect(t.log.records()).toEqual([]);
  });
});
