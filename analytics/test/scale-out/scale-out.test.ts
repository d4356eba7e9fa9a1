import { realEngine } from '@shop/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownedPartitions } from '../../src/log/index.ts';
import { HLL_STANDARD_ERROR } from '../../src/sketches/index.ts';
import { createTenantWithKeys, deliver, queryTotal, type TenantKeys } from './api-client.ts';
import { spawnTs, until } from './child-processes.ts';
import { openProgressProbe, sumOver, type Progress, type ProgressProbe } from './consumer-progress.ts';
import { batchViewDayTotals, rawCopiesByMessageId } from './lake-audit.ts';
import { planTraffic, tenantIdsCovering, uniqueEstimate, type Expected } from './known-traffic.ts';
import { createTopology, type ScaleOutTopology } from './topology.ts';

const redis = await realEngine('redis');
const nats = await realEngine('nats');

const PARTITIONS = 4;
const MEMBERS = 2;
const TENANTS_PER_PARTITION = 2;
const EVENTS_PER_TENANT = 1000;
const BATCH_SIZE = 100;
// A closed UTC day, so the batch job (grace 0) takes it; the speed layer still holds its quarters.
const DAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const NEXT_DAY = new Date(Date.parse(`${DAY}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe.skipIf(!redis.available || !nats.available)('scale-out: 2 API nodes, 2 speed members, 2 archivers as separate processes (NATS + Redis)', () => {
  let topology: ScaleOutTopology | undefined;
  let probe: ProgressProbe | undefined;
  let tenantIds: string[] = [];
  const keys = new Map<string, TenantKeys>();
  let expected = new Map<string, Expected>();
  let totalEvents = 0;

  beforeAll(async () => {
    topology = await createTopology({ engines: { redisUrl: redis.url, natsUrl: nats.url }, partitions: PARTITIONS, label: 'test' });
    // The first node creates the streams; the others then only find them.
    await topology.startApi();
    await Promise.all([
      topology.startApi(),
      ...Array.from({ length: MEMBERS }, (_, i) => topology!.startSpeed(i, MEMBERS)),
      ...Array.from({ length: MEMBERS }, (_, i) => topology!.startArchiver(i, MEMBERS)),
    ]);
    probe = await openProgressProbe(topology);
    tenantIds = tenantIdsCovering(`so-${topology.run}`, PARTITIONS, TENANTS_PER_PARTITION);
    // Tenants are created through both nodes: they share one tenant store.
    for (const [i, id] of tenantIds.entries()) keys.set(id, await createTenantWithKeys(topology.apis[i % 2]!.url, topology.adminToken, id));
  }, 90_000);

  afterAll(async () => {
    await probe?.close();
    await topology?.cleanup();
  });

  const dayQuery = (metric: string) => ({ metric, granularity: 'day', from: DAY, to: NEXT_DAY, tz: 'UTC' });
  const describeProgress = async () => JSON.stringify(await probe!.read());

  it('accepts every event exactly once across both nodes while a speed member and an archiver are killed -9 and restarted', async () => {
    const t = topology!;
    const plan = planTraffic({ tenantIds, eventsPerTenant: EVENTS_PER_TENANT, batchSize: BATCH_SIZE, day: DAY, seed: 20_260_310, runTag: t.run });
    expected = plan.expected;
    totalEvents = [...expected.values()].reduce((n, e) => n + e.events, 0);
    const { batches } = plan;

    // ── The sender: every batch goes to one node and again, same messageIds, to the other. ──
    const acceptedPerBatch: number[] = [];
    const resendDuplicates: number[] = [];
    let nextBatch = 0;
    let delivered = 0;
    let releaseGate!: () => void;
    const gate = new Promise<void>((resolve) => (releaseGate = resolve));
    const gateAt = Math.floor(batches.length * 0.4);
    const sender = async () => {
      while (nextBatch < batches.length) {
        const i = nextBatch++;
        // Holds the rest of the traffic until the kills, so they land mid-stream whatever the machine's speed.
        if (i >= gateAt) await gate;
        const { tenantId, body } = batches[i]!;
        const { writeKey } = keys.get(tenantId)!;
        body.sentAt = new Date().toISOString();
        const [first, second] = i % 2 === 0 ? [t.apis[0]!, t.apis[1]!] : [t.apis[1]!, t.apis[0]!];
        if (i % 5 === 0) {
          // Both nodes at once: the shared dedup store must let exactly one of them append.
          const answers = await Promise.all([deliver(first.url, writeKey, body), deliver(second.url, writeKey, body)]);
          acceptedPerBatch[i] = answers[0].accepted + answers[1].accepted;
        } else {
          const a = await deliver(first.url, writeKey, body);
          const b = await deliver(second.url, writeKey, body);
          acceptedPerBatch[i] = a.accepted + b.accepted;
          resendDuplicates[i] = b.last.duplicates;
        }
        delivered++;
      }
    };
    const sending = Promise.all([sender(), sender(), sender()]);

    // ── Kill -9 speed member 1 and archiver member 0 once each has applied something. ──
    const speedVictim = t.children.find((c) => c.name === `speed-1/${MEMBERS}`)!;
    const archiveVictim = t.children.find((c) => c.name === `archiver-0/${MEMBERS}`)!;
    const speedVictimParts = ownedPartitions(1, MEMBERS, PARTITIONS);
    const archiveVictimParts = ownedPartitions(0, MEMBERS, PARTITIONS);
    const speedSurvivorParts = ownedPartitions(0, MEMBERS, PARTITIONS);
    const archiveSurvivorParts = ownedPartitions(1, MEMBERS, PARTITIONS);
    await until(
      'the victims to consume part of the traffic',
      async () => {
        t.assertAlive();
        const p = await probe!.read();
        return sumOver(p.speed, speedVictimParts) > 0 && sumOver(p.archive, archiveVictimParts) > 0;
      },
      60_000,
      describeProgress,
    );
    expect(await t.kill(speedVictim)).toBe('SIGKILL');
    expect(await t.kill(archiveVictim)).toBe('SIGKILL');
    const atKill: Progress = await probe!.read();
    releaseGate();

    // While they are down the survivors keep consuming, and nobody takes the victims' partitions.
    await until(
      'more traffic, consumed by the survivors',
      async () => {
        t.assertAlive();
        const p = await probe!.read();
        return (
          delivered >= batches.length * 0.7 &&
          sumOver(p.logEnds, speedVictimParts) > sumOver(atKill.speed, speedVictimParts) &&
          sumOver(p.logEnds, archiveVictimParts) > sumOver(atKill.archive, archiveVictimParts) &&
          sumOver(p.speed, speedSurvivorParts) > sumOver(atKill.speed, speedSurvivorParts) &&
          sumOver(p.archive, archiveSurvivorParts) > sumOver(atKill.archive, archiveSurvivorParts)
        );
      },
      60_000,
      describeProgress,
    );
    const whileDown = await probe!.read();
    for (const p of speedVictimParts) expect(whileDown.speed[p], `speed position of p${p} while its member is dead`).toBe(atKill.speed[p]);
    for (const p of archiveVictimParts) expect(whileDown.archive[p], `archive position of p${p} while its member is dead`).toBe(atKill.archive[p]);

    t.startSpeed(1, MEMBERS);
    t.startArchiver(0, MEMBERS);
    await sending;
    await until('both roles to consume every partition to its end', async () => (t.assertAlive(), probe!.caughtUp(await probe!.read())), 60_000, describeProgress);

    expect(acceptedPerBatch).toEqual(batches.map((b) => b.body.batch.length));
    // Sequential re-sends: the second node recognised every event of the batch.
    for (const [i, n] of resendDuplicates.entries()) if (n !== undefined) expect(n, `batch ${i} re-sent`).toBe(batches[i]!.body.batch.length);
    const final = await probe!.read();
    expect(sumOver(final.logEnds)).toBe(totalEvents);
    // Every partition had traffic, so every member of both roles had work.
    for (const p of final.logEnds.keys()) expect(final.logEnds[p], `log partition ${p}`).toBeGreaterThan(0);
  }, 150_000);

  it('answers /v1/query on both API nodes with exactly the expected totals per tenant', async () => {
    expect(totalEvents).toBeGreaterThan(0);
    for (const [tenantId, want] of expected) {
      const { readKey } = keys.get(tenantId)!;
      for (const api of topology!.apis) {
        const ask = (metric: string) => queryTotal(api.url, readKey, dayQuery(metric));
        const events = await ask('events');
        expect(events.layers.map((l) => l.layer), 'before any batch run').toEqual(['speed']);
        expect({ tenantId, node: api.url, events: events.value, pageviews: (await ask('pageviews')).value, orders: (await ask('orders')).value, revenue: (await ask('revenue')).value }).toEqual({
          tenantId,
          node: api.url,
          events: want.events,
          pageviews: want.pageviews,
          orders: want.orders,
          revenue: want.revenueCents,
        });
        const unique = (await ask('unique_users')).value;
        // The same sketch of the same identities: the very same estimate, itself within 3 standard errors.
        expect(unique, `${tenantId} unique_users`).toBe(uniqueEstimate(want.identities));
        expect(Math.abs(unique - want.identities.size)).toBeLessThanOrEqual(Math.ceil(3 * HLL_STANDARD_ERROR * want.identities.size));
      }
    }
  });

  it('holds every event exactly once in the raw store', async () => {
    expect(totalEvents).toBeGreaterThan(0);
    const { lines, copies } = await rawCopiesByMessageId(topology!.lakeDir);
    const twice = [...copies].filter(([, c]) => c.count !== 1).map(([id]) => id);
    expect(twice, 'messageIds stored more than once').toEqual([]);
    expect(lines).toBe(totalEvents);
    for (const [tenantId, want] of expected) {
      for (const id of want.messageIds) expect(copies.get(id)?.tenantId, id).toBe(tenantId);
    }
  });

  it('runs the batch CLI over the lake: its views and then both nodes (now from the batch layer) give the same totals', async () => {
    expect(totalEvents).toBeGreaterThan(0);
    const t = topology!;
    // Every event of the day is counted, whenever received (ADR-0019); the grace only decides
    // that the day is closed: it ends just now, after the last event, before the run.
    const graceMinutes = (Date.now() - 1 - Date.parse(`${NEXT_DAY}T00:00:00Z`)) / 60_000;
    const batch = spawnTs('batch', 'analytics/src/cli/batch.ts', {}, ['run', '--lake', t.lakeDir, '--grace-minutes', String(graceMinutes)]);
    const exit = await batch.exited;
    expect(exit.code, batch.output()).toBe(0);
    for (const [tenantId, want] of expected) {
      expect(await batchViewDayTotals(t.lakeDir, tenantId, DAY), tenantId).toEqual({
        events: want.events,
        pageviews: want.pageviews,
        orders: want.orders,
        revenueCents: want.revenueCents,
        uniqueUsers: uniqueEstimate(want.identities),
        goalConversions: 0,
      });
      const { readKey } = keys.get(tenantId)!;
      for (const api of t.apis) {
        const events = await queryTotal(api.url, readKey, dayQuery('events'));
        expect(events.layers.map((l) => l.layer), `${tenantId} after the batch run`).toEqual(['batch']);
        expect(events.value).toBe(want.events);
        expect((await queryTotal(api.url, readKey, dayQuery('revenue'))).value).toBe(want.revenueCents);
      }
    }
  }, 60_000);
});
