import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { type NatsCluster, percentile, realBinary, startNatsCluster, steadyLoad } from '@shop/platform/testing';
import { migrate } from '../../src/shared/database/index.ts';
import { createNatsInbound, createNatsRelay, eventsMigrations, type EventBus, type NatsInbound, type NatsRelay } from '../../src/shared/events/index.ts';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import { newBus, OrderCreated, silentLogger, waitFor } from './event-bus.fixtures.ts';

const natsServer = realBinary('nats-server');
const engine = databaseEngines().find((e) => e.name === 'postgres' && !e.skip) ?? databaseEngines()[0]!;
/** 20 orders/s for 14 s; the stream leader dies at 3 s and comes back at 8 s. */
const EVERY_MS = 50;
const DURATION_MS = 14_000;
/** Retries soon enough that the test sees the relay resume within seconds of a new leader. */
const RETRY = { pollIntervalMs: 50, retry: { baseDelayMs: 200, maxDelayMs: 2_000, maxAttempts: 30 } };

describe.skipIf(!natsServer.available)(`the commerce relay on a three-node JetStream cluster (R3), one node killed with SIGKILL (${engine.name})`, () => {
  let cluster: NatsCluster | undefined;
  const opened: TestDatabase[] = [];
  const parts: (NatsRelay | NatsInbound)[] = [];
  const buses: EventBus[] = [];

  afterAll(async () => {
    for (const b of buses) await b.stop();
    for (const p of parts) await p.stop().catch(() => {});
    for (const d of opened) await d.cleanup();
    await cluster?.stop();
  });

  it('relays every committed order event, handles each once on the other side, and the node catches up', { timeout: 120_000 }, async () => {
    cluster = await startNatsCluster({ binary: natsServer.path });
    const run = randomUUID().slice(0, 8);
    const common = { url: cluster.url, replicas: 3, stream: `FAULT_${run}`, subjectPrefix: `fault_${run}.events`, logger: silentLogger };
    for (let i = 0; i < 2; i++) {
      const d = await engine.open();
      await migrate(d.db, [eventsMigrations]);
      opened.push(d);
    }
    const [shop, payments] = opened as [TestDatabase, TestDatabase];

    const shopBus = newBus(shop.db, RETRY);
    const paymentBus = newBus(payments.db, RETRY);
    buses.push(shopBus, paymentBus);
    const handled = new Map<string, number>();
    const handledAt = new Map<string, number>();
    paymentBus.subscribe('payments', OrderCreated, async (event, ctx) => {
      await ctx.once(async () => {
        handled.set(event.payload.orderId, (handled.get(event.payload.orderId) ?? 0) + 1);
        handledAt.set(event.payload.orderId, Date.now());
      });
    });
    parts.push(
      createNatsRelay({ ...common, bus: shopBus, eventTypes: [OrderCreated.type] }),
      createNatsInbound({ ...common, bus: paymentBus, db: payments.db, eventTypes: [OrderCreated.type], durable: 'payments' }),
    );
    for (const p of parts) await p.start();
    for (const b of buses) await b.start();

    // The worst node to lose leads both the stream (the relay's publishes) and the inbound's durable
    // consumer (its pulls): move the stream's leadership there before the traffic starts.
    const leader = await cluster.consumerLeader(common.stream, `payments__${OrderCreated.type.replaceAll('.', '_')}`);
    const colocated = await cluster.moveStreamLeader(common.stream, leader);
    let newLeader = '';
    const committed: string[] = [];
    const committedAt = new Map<string, number>();
    const report = await steadyLoad({
      everyMs: EVERY_MS,
      durationMs: DURATION_MS,
      call: async (i) => {
        const orderId = `o-${i}`;
        await shop.db.transaction((tx) => shopBus.publish(tx, OrderCreated.create({ orderId, totalMinor: 100 + i })));
        committed.push(orderId);
        committedAt.set(orderId, Date.now());
      },
      at: {
        3_000: async () => {
          await cluster!.kill(leader);
          newLeader = await cluster!.streamLeader(common.stream, { avoid: leader });
          await cluster!.consumerLeader(common.stream, `payments__${OrderCreated.type.replaceAll('.', '_')}`, { avoid: leader });
        },
        8_000: () => cluster!.restart(leader),
      },
    });
    expect(newLeader).not.toBe(leader);

    await waitFor(() => committed.every((id) => handled.has(id)), 50);
    // Give a late redelivery the chance to show up as a second handling before counting.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(committed.length).toBe(report.calls);
    expect([...handled.values()].every((n) => n === 1)).toBe(true);
    expect(handled.size).toBe(committed.length);

    await cluster.streamCaughtUp(common.stream);
    // When the stream stored each order (its own clock, same machine): splits the delay into relay and inbound.
    const storedAt = new Map<string, number>();
    const admin = await connect({ servers: cluster.url.split(',') });
    try {
      // Retried publishes carried the event id as Nats-Msg-Id: the stream holds each order once.
      const jsm = await jetstreamManager(admin);
      const info = await jsm.streams.info(common.stream);
      expect(info.state.messages).toBe(committed.length);
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
        const stored = await jsm.streams.getMessage(common.stream, { seq });
        if (stored) storedAt.set((JSON.parse(new TextDecoder().decode(stored.data)) as { payload: { orderId: string } }).payload.orderId, stored.time.getTime());
      }
    } finally {
      await admin.close();
    }
    const ms = (values: number[]) => `p50 ${percentile(values, 50).toFixed(0)} ms p99 ${percentile(values, 99).toFixed(0)} ms max ${Math.max(...values).toFixed(0)} ms`;
    const relayDead = (await shopBus.admin.listDeliveries({ subscriber: 'nats-relay', status: 'dead' })).length;
    console.log(
      `[commerce relay R3 kill -9 ${leader} (led the consumer${colocated ? ' and the stream' : ''}) -> ${newLeader}] ${committed.length} orders at ${1000 / EVERY_MS}/s; ` +
        `commit to handled ${ms(committed.map((id) => handledAt.get(id)! - committedAt.get(id)!))}; ` +
        `commit to stored (relay) ${ms(committed.map((id) => storedAt.get(id)! - committedAt.get(id)!))}; ` +
        `stored to handled (inbound) ${ms(committed.map((id) => handledAt.get(id)! - storedAt.get(id)!))}; dead relay deliveries ${relayDead}`,
    );
    expect(relayDead).toBe(0);
  });
});
