import { realEngine } from '@shop/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as batchCli } from '../../src/cli/batch.ts';
import { createTenantWithKeys, deliver, queryTotal, type TenantKeys } from './api-client.ts';
import { until } from './child-processes.ts';
import { USER_AGENT } from './known-traffic.ts';
import { batchViewDayTotals, rawCopiesByMessageId } from './lake-audit.ts';
import { createTopology, type ScaleOutTopology } from './topology.ts';

const redis = await realEngine('redis');
const nats = await realEngine('nats');

const PRICING_VIEWS = 30;
const OTHER_VIEWS = 20;
// A closed UTC day, so the batch CLI (grace 0) takes it; the speed layer still holds its quarters.
const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const NEXT_DAY = new Date(Date.parse(`${DAY}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const dayQuery = (metric: string) => ({ metric, granularity: 'day', from: DAY, to: NEXT_DAY, tz: 'UTC' });

describe.skipIf(!redis.available || !nats.available)('goal metrics outside the API process (NATS + Redis)', () => {
  let topology: ScaleOutTopology | undefined;
  let tenant: TenantKeys;

  beforeAll(async () => {
    topology = await createTopology({ engines: { redisUrl: redis.url, natsUrl: nats.url }, partitions: 2, label: 'goals' });
    const api = await topology.startApi();
    tenant = await createTenantWithKeys(api.url, topology.adminToken, `goals-${topology.run}`);
    // Defined through the API before the speed process starts: it must find the goal in the shared store.
    const res = await fetch(`${api.url}/v1/goals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenant.readKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Saw pricing', kind: 'page', path: '/pricing' }),
    });
    expect(res.status).toBe(201);
    topology.startSpeed(0, 1);
    topology.startArchiver(0, 1);
    const dayStart = Date.parse(`${DAY}T00:00:00Z`);
    const batch = Array.from({ length: PRICING_VIEWS + OTHER_VIEWS }, (_, i) => {
      const path = i < PRICING_VIEWS ? '/pricing' : '/docs';
      return { type: 'page', name: 'Page', messageId: `${topology!.run}-${i}`, anonymousId: `v${i % 7}`, timestamp: new Date(dayStart + 3_600_000 + i * 60_000).toISOString(), properties: { path }, context: { page: { path } } };
    });
    await deliver(api.url, tenant.writeKey, { batch, context: { userAgent: USER_AGENT } });
  }, 90_000);

  afterAll(async () => {
    await topology?.cleanup();
  });

  it('counts a goal defined through the API in a stand-alone speed process', async () => {
    const api = topology!.apis[0]!;
    await until(
      'the speed process to fold every page view',
      async () => (await queryTotal(api.url, tenant.readKey, dayQuery('pageviews'))).value === PRICING_VIEWS + OTHER_VIEWS,
      30_000,
      () => topology!.children.map((c) => `${c.name}: ${c.output()}`).join('\n'),
    );
    topology!.assertAlive();
    expect((await queryTotal(api.url, tenant.readKey, dayQuery('goal_conversions'))).value).toBe(PRICING_VIEWS);
  });

  it('counts it in the batch CLI, reading the goals from the same Redis', async () => {
    const t = topology!;
    await until('the archiver to write every event', async () => (await rawCopiesByMessageId(t.lakeDir)).lines === PRICING_VIEWS + OTHER_VIEWS, 30_000);
    const code = await batchCli(['run', '--tenant', tenant.id, '--lake', t.lakeDir, '--grace-minutes', '0'], { REDIS_URL: redis.url, ANALYTICS_REDIS_PREFIX: t.redisPrefix });
    expect(code).toBe(0);
    const totals = await batchViewDayTotals(t.lakeDir, tenant.id, DAY);
    expect(totals.pageviews).toBe(PRICING_VIEWS + OTHER_VIEWS);
    expect(totals.goalConversions).toBe(PRICING_VIEWS);
  });
});
