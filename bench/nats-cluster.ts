/**
 * JetStream on one server (R1) against a three-node cluster (R3), in the same run, each started
 * here on loopback: the analytics log's appends (batches of 100, pipelined, Nats-Msg-Id on every
 * record) and the commerce relay's publishes (one event per publish, acked, 10 in flight).
 * Run: npm run bench:nats-cluster [-- events=20000]
 */
import { loadavg } from 'node:os';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { percentile, realBinary, startNatsCluster } from '@shop/platform/testing';
import type { EventLog } from '../analytics/src/log/event-log.ts';
import { createNatsLog } from '../analytics/src/log/nats-log.adapter.ts';
import { testRecord } from '../analytics/test/support/log-test-events.fixture.ts';

const TOTAL = Number(process.argv[2] ?? 20_000);
const BATCH = 100;
const PARTITIONS = 4;
const APPEND_CONCURRENCY = 8;
const RELAY_EVENTS = Math.min(TOTAL, 5_000);
const RELAY_CONCURRENCY = 10;

interface Figures {
  rate: number;
  p50: number;
  p99: number;
}

async function run(concurrency: number, count: number, one: (i: number) => Promise<void>): Promise<Figures> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t = performance.now();
        await one(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { rate: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function appends(url: string, replicas: number, label: string): Promise<Figures> {
  const log: EventLog = await createNatsLog({ servers: url, streamPrefix: `BENCH_${label}`, partitions: PARTITIONS, replicas });
  try {
    const figures = await run(APPEND_CONCURRENCY, TOTAL / BATCH, (b) =>
      log.append(Array.from({ length: BATCH }, (_, i) => testRecord(`tenant-${(b + i) % 50}`, `${label}-${b}-${i}`))),
    );
    return { ...figures, rate: figures.rate * BATCH };
  } finally {
    await log.close();
  }
}

async function relayPublishes(url: string, replicas: number, label: string): Promise<Figures> {
  const nc = await connect({ servers: url.split(',') });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: `BENCH_RELAY_${label}`, subjects: [`bench_${label}.>`], num_replicas: replicas });
    const js = jetstream(nc);
    const payload = JSON.stringify({ type: 'orders.order_created.v1', payload: { orderId: 'o', totalMinor: 4200 } });
    return await run(RELAY_CONCURRENCY, RELAY_EVENTS, async (i) => {
      await js.publish(`bench_${label}.orders.order_created.v1`, payload, { msgID: `${label}-${i}` });
    });
  } finally {
    await nc.close();
  }
}

const line = (what: string, f: Figures, unit: string) =>
  `${what.padEnd(46)} ${Math.round(f.rate).toLocaleString('en').padStart(8)} ${unit}/s   p50 ${f.p50.toFixed(1)} ms   p99 ${f.p99.toFixed(1)} ms`;

const binary = realBinary('nats-server');
if (!binary.available) throw new Error('nats-server is not on PATH');
console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${TOTAL} log events, ${RELAY_EVENTS} relay events`);
// Both set-ups stay up and take turns, round after round, so a burst of load from elsewhere on
// the machine falls on both alike; each figure is the median of its rounds.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const setups = [
  { label: 'R1', where: 'one server', replicas: 1, cluster: await startNatsCluster({ binary: binary.path, size: 1 }) },
  { label: 'R3', where: '3-node cluster', replicas: 3, cluster: await startNatsCluster({ binary: binary.path, size: 3 }) },
];
const rounds = new Map<string, { log: Figures; relay: Figures }[]>(setups.map((s) => [s.label, []]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const { label, replicas, cluster } of setups) {
      const tag = `${label}_${round}`;
      rounds.get(label)!.push({ log: await appends(cluster.url, replicas, tag), relay: await relayPublishes(cluster.url, replicas, tag) });
    }
  }
} finally {
  for (const { cluster } of setups) await cluster.stop();
}
const median = (figures: Figures[]): Figures => {
  const pick = (key: keyof Figures) => percentile(figures.map((f) => f[key]), 50);
  return { rate: pick('rate'), p50: pick('p50'), p99: pick('p99') };
};
const results = new Map(setups.map(({ label }) => [label, { log: median(rounds.get(label)!.map((r) => r.log)), relay: median(rounds.get(label)!.map((r) => r.relay)) }]));
for (const { label, where } of setups) {
  const r = results.get(label)!;
  console.log(line(`${label} log append (${where}), batch ${BATCH}`, r.log, 'events'));
  console.log(line(`${label} relay publish (${where})`, r.relay, 'events'));
}
const [R1, R3] = [results.get('R1')!, results.get('R3')!];
console.log(`R3/R1 throughput (medians of ${ROUNDS} rounds): log appends ${(R3.log.rate / R1.log.rate).toFixed(2)}, relay publishes ${(R3.relay.rate / R1.relay.rate).toFixed(2)}`);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
