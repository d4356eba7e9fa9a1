/**
 * Append and read throughput of the file log and NATS JetStream, batches of 100 events.
 * Run: npx tsx bench/analytics-log.ts [events=100000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import type { EventLog } from '../analytics/src/log/event-log.ts';
import { createFileLog } from '../analytics/src/log/file-log.adapter.ts';
import { createNatsLog, natsStreamName } from '../analytics/src/log/nats-log.adapter.ts';
import { testRecord } from '../analytics/test/support/log-test-events.fixture.ts';

const TOTAL = Number(process.argv[2] ?? 100_000);
const BATCH = 100;
const PARTITIONS = 8;
const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

async function appendRate(log: EventLog, concurrency: number, label: string): Promise<void> {
  let nextBatch = 0;
  const batches = TOTAL / BATCH;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let b = nextBatch++; b < batches; b = nextBatch++) {
        await log.append(Array.from({ length: BATCH }, (_, i) => testRecord(`tenant-${(b + i) % 50}`, `${label}-${b}-${i}`)));
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label.padEnd(6)} append  ${String(concurrency).padStart(3)} concurrent batches of ${BATCH}: ${Math.round(TOTAL / seconds).toLocaleString('en')} events/s`);
}

async function readRate(log: EventLog, label: string): Promise<void> {
  const started = performance.now();
  let count = 0;
  for (let p = 0; p < PARTITIONS; p++) {
    const { first, next } = await log.bounds(p);
    for (let from = first; from < next; ) {
      const records = await log.read(p, from, { max: 1000 });
      count += records.length;
      from = records.at(-1)!.offset + 1;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label.padEnd(6)} read    ${count.toLocaleString('en')} events, 1000 per read: ${Math.round(count / seconds).toLocaleString('en')} events/s`);
}

/**
 * Two readers of every partition taking turns, each continuing where its own last read ended, half
 * the log apart: what the speed layer and the archiver of one process do. CPU is this process's.
 */
async function twoReaderRate(log: EventLog, label: string): Promise<void> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let count = 0;
  for (let p = 0; p < PARTITIONS; p++) {
    const { first, next } = await log.bounds(p);
    const half = first + Math.floor((next - first) / 2);
    const readers = [
      { from: first, end: half },
      { from: half, end: next },
    ];
    while (readers.some((r) => r.from < r.end)) {
      for (const r of readers) {
        if (r.from >= r.end) continue;
        const records = await log.read(p, r.from, { max: Math.min(100, r.end - r.from) });
        count += records.length;
        r.from = records.at(-1)!.offset + 1;
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuPerThousand = ((cpu.user + cpu.system) / 1000 / count) * 1000;
  console.log(`${label.padEnd(6)} read    ${count.toLocaleString('en')} events, 2 readers taking turns, 100 per read: ${Math.round(count / seconds).toLocaleString('en')} events/s, ${cpuPerThousand.toFixed(1)} ms CPU per 1,000`);
}

async function benchFile(): Promise<void> {
  for (const concurrency of [1, 32]) {
    const dir = await mkdtemp(join(tmpdir(), 'event-log-bench-'));
    const log = await createFileLog({ dir, partitions: PARTITIONS });
    try {
      await appendRate(log, concurrency, 'file');
      if (concurrency > 1) await readRate(log, 'file');
    } finally {
      await log.close();
      await rm(dir, { recursive: true, force: true });
    }
  }
}

async function benchNats(): Promise<void> {
  for (const concurrency of [1, 32]) {
    const prefix = `BENCH_LOG_${Date.now()}`;
    const log = await createNatsLog({ servers: NATS_URL, streamPrefix: prefix, partitions: PARTITIONS });
    try {
      await appendRate(log, concurrency, 'nats');
      if (concurrency > 1) await readRate(log, 'nats');
      if (concurrency > 1) await twoReaderRate(log, 'nats');
    } finally {
      await log.close();
      const nc = await connect({ servers: NATS_URL });
      const jsm = await jetstreamManager(nc);
      for (let p = 0; p < PARTITIONS; p++) await jsm.streams.delete(natsStreamName(prefix, p)).catch(() => {});
      await nc.close();
    }
  }
}

await benchFile();
await benchNats().catch((err: unknown) => console.log(`nats   skipped: ${String(err)}`));
