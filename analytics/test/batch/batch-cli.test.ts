import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { type LakeStore, formatProgress, runBatch, startBatchSchedule } from '../../src/batch/index.ts';
import { createLocalObjectStore, localObjectStore } from '../../src/storage/index.ts';
import { startS3rver } from '@shop/platform/testing/object-store';
import { main } from '../../src/cli/batch.ts';
import { readWatermark } from '../../src/batch/watermark.ts';
import { writeArchived } from '../privacy/privacy.fixture.ts';
import { generateEvents, writeRaw } from './batch.fixture.ts';

describe('batch runs', () => {
  it('runs over the archiver ObjectStore port, on a schedule and from the CLI', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'batch-cli-'));
    try {
      await writeRaw(dir, generateEvents('cli', 300, '2026-03-01T00:00:00Z', '2026-03-02T23:00:00Z', 5, 0));
      const store: LakeStore = await createLocalObjectStore(dir);
      const scheduled = startBatchSchedule({ lake: store, everyMs: 3_600_000, now: () => Date.parse('2026-03-03T00:06:00Z') });
      const result = await scheduled.runNow();
      await scheduled.stop();
      expect(result.periods.map((p) => p.date)).toEqual(['2026-03-01', '2026-03-02']);
      expect(result.watermarks.cli).toBe(Date.parse('2026-03-03T00:00:00Z'));

      const lines: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
      try {
        expect(await main(['backfill', '--tenant', 'cli', '--from', '2026-03-01', '--to', '2026-03-02', '--lake', dir])).toBe(0);
        expect(await main(['backfill', '--tenant', 'cli', '--lake', dir])).toBe(2);
      } finally {
        process.stderr.write = write;
      }
      // Not a TTY: one plain line per period, no bar.
      expect(lines.filter((l) => /^\d+\/2 \d+% cli 2026-03-0[12] /.test(l))).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("runs on the app's lake from the app's variables: an S3 bucket (s3rver)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'batch-cli-s3-'));
    const server = await startS3rver(dir);
    try {
      const bucket = await server.newStore();
      await writeArchived(bucket, generateEvents('s3cli', 200, '2026-03-01T00:00:00Z', '2026-03-01T23:00:00Z', 5, 0));
      const env = {
        S3_BUCKET: bucket.bucket,
        S3_ENDPOINT: server.endpoint,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        // Nothing local: a CLI that ignored S3 would find no tenant here.
        DATA_DIR: join(dir, 'not-the-lake'),
      };
      const silence = process.stderr.write.bind(process.stderr);
      process.stderr.write = (() => true) as typeof process.stderr.write;
      try {
        expect(await main(['backfill', '--tenant', 's3cli', '--from', '2026-03-01', '--to', '2026-03-01'], env)).toBe(0);
      } finally {
        process.stderr.write = silence;
      }
      expect(await readWatermark(bucket, 's3cli')).toBe(Date.parse('2026-03-02T00:00:00Z'));
      expect((await bucket.list('views/tenant=s3cli/')).some((k) => k.endsWith('.parquet'))).toBe(true);
      await bucket.close();
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes its grace from ANALYTICS_BATCH_GRACE_MS as the app does: empty is the default, a bad value is a usage error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'batch-cli-grace-'));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = (() => true) as typeof process.stderr.write;
    // Two minutes after the 2nd ends: closed under a 1-minute grace, still open under the default 5.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-03-03T00:02:00Z') });
    try {
      await writeRaw(dir, generateEvents('grace', 100, '2026-03-02T00:00:00Z', '2026-03-02T23:00:00Z', 6, 0));
      const run = (grace: string) => main(['run', '--tenant', 'grace', '--lake', dir], { ANALYTICS_BATCH_GRACE_MS: grace });

      const problem = () => String(errors.mock.lastCall?.[0]).split('\n')[0];
      expect(await run('soon')).toBe(2);
      expect(problem()).toBe('Invalid configuration: ANALYTICS_BATCH_GRACE_MS must be a positive integer');
      expect(await run('0')).toBe(2);
      expect(problem()).toBe('Invalid configuration: ANALYTICS_BATCH_GRACE_MS must be a positive integer');

      expect(await run('')).toBe(0);
      expect(await readWatermark(localObjectStore(dir), 'grace')).toBeNull();
      expect(await run('60000')).toBe(0);
      expect(await readWatermark(localObjectStore(dir), 'grace')).toBe(Date.parse('2026-03-03T00:00:00Z'));
    } finally {
      vi.useRealTimers();
      errors.mockRestore();
      process.stderr.write = write;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('draws a bar with an ETA from the pace so far', () => {
    const stats = { tenantId: 't', date: '2026-03-01', files: 1, rawEvents: 10, duplicates: 0, events: 10, late: 0, invalidTime: 0, rejected: 0, cells: 1 };
    const line = formatProgress({ done: 1, total: 4, tenantId: 't', date: '2026-03-01', stats, rawEvents: 1000, elapsedMs: 2000 }, true);
    expect(line).toMatch(/^\[#{8}\.{22}\] 1\/4 25% t 2026-03-01 .* 500 raw ev\/s ETA 6s$/);
  });

  it('refuses a backfill of a period that is not closed yet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'batch-open-'));
    try {
      const result = await runBatch({ lake: dir, tenants: ['x'], now: Date.parse('2026-03-02T00:04:00Z'), from: '2026-03-01', to: '2026-03-02' });
      expect(result.periods).toEqual([]);
      expect(result.skippedOpen).toEqual([
        { tenantId: 'x', date: '2026-03-01' },
        { tenantId: 'x', date: '2026-03-02' },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
