/**
 * Archiver throughput: a file log filled beforehand, archived to the local store (and to s3rver
 * with `s3`), default flush settings, 8 partitions, 50 tenants, event times over 3 hours.
 * Run: npx tsx bench/analytics-archiver.ts [events=200000] [s3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AppendRecord, EventLog } from '../analytics/src/log/event-log.ts';
import { createFileLog } from '../analytics/src/log/file-log.adapter.ts';
import { createLocalObjectStore, type ObjectStore } from '@shop/platform/object-store';
import { startS3rver } from '@shop/platform/testing/object-store';
import { readPosition } from '../analytics/src/archive/archive-positions.ts';
import { startArchiver } from '../analytics/src/archive/archiver.ts';

const TOTAL = Number(process.argv[2] ?? 200_000);
const WITH_S3 = process.argv[3] === 's3';
const PARTITIONS = 8;
const START = Date.UTC(2026, 10, 25, 9, 0, 0);

function record(i: number): AppendRecord {
  const tenantId = `tenant-${i % 50}`;
  const time = new Date(START + ((i * 7919) % 10_800) * 1000).toISOString();
  return {
    key: tenantId,
    value: {
      tenantId,
      messageId: `m-${i}`,
      type: 'page',
      event: 'Home',
      anonymousId: `a-${i % 5000}`,
      timestamp: time,
      receivedAt: time,
      properties: { path: '/', referrer: 'https://example.com/', title: 'Home' },
      context: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', page: { path: '/', url: 'https://shop.example/' } },
      isBot: false,
    },
  };
}

async function archive(log: EventLog, store: ObjectStore, label: string): Promise<void> {
  const started = performance.now();
  const archiver = startArchiver({ log, store, logger: pino({ level: 'warn' }) });
  for (;;) {
    let done = true;
    for (let p = 0; p < PARTITIONS; p++) if (((await readPosition(store, p).catch(() => -1)) ?? 0) < (await log.bounds(p)).next) done = false;
    if (done) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const stats = archiver.stats();
  await archiver.stop();
  console.log(
    `${label}: ${TOTAL} events in ${seconds.toFixed(2)} s = ${Math.round(TOTAL / seconds)} events/s ` +
      `(${stats.flushes} flushes, ${stats.objects} objects, ${(stats.bytes / 1e6).toFixed(1)} MB)`,
  );
}

const dir = await mkdtemp(join(tmpdir(), 'archiver-bench-'));
try {
  const log = await createFileLog({ dir: join(dir, 'events'), partitions: PARTITIONS });
  for (let i = 0; i < TOTAL; i += 1000) await log.append(Array.from({ length: Math.min(1000, TOTAL - i) }, (_, k) => record(i + k)));
  await archive(log, await createLocalObjectStore(join(dir, 'lake')), 'local store');
  if (WITH_S3) {
    const s3 = await startS3rver(join(dir, 's3rver'));
    try {
      await archive(log, await s3.newStore(), 's3rver (child process, loopback)');
    } finally {
      await s3.close();
    }
  }
  await log.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
