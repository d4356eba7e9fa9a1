import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readPosition } from '../../src/archive/index.ts';
import { createFileLog } from '../../src/log/index.ts';
import { createLocalObjectStore } from '../../src/storage/index.ts';
import { archiveRecords, readRaw, waitArchived } from './archive.fixture.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = join(repoRoot, 'analytics/src/processes/archiver.ts');
const PARTITIONS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('processes/archiver.ts killed with SIGKILL mid-stream', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('archives every record exactly once after a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'archiver-kill-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    // The test process is the collector: it owns the file log; the archiver process reads it.
    const log = await createFileLog({ dir: join(dataDir, 'analytics/events'), partitions: PARTITIONS, groupCommitMs: 0 });
    cleanup.push(() => log.close());
    const lake = await createLocalObjectStore(join(dataDir, 'analytics/lake'));
    const children: ChildProcess[] = [];
    cleanup.push(async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const startArchiverProcess = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          ANALYTICS_LOG_PARTITIONS: String(PARTITIONS),
          ARCHIVE_FLUSH_RECORDS: '100',
          ARCHIVE_FLUSH_MS: '10',
          LOG_LEVEL: 'warn',
          S3_BUCKET: '',
          NATS_URL: '',
          KAFKA_BROKERS: '',
        },
      });
      children.push(child);
      return child;
    };

    // A writer appending batches until told to stop, so the kill lands mid-stream.
    let appended = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await log.append(archiveRecords(appended, 20));
        appended += 20;
        await sleep(20);
      }
    })();
    const archivedSoFar = async () => {
      let total = 0;
      for (let p = 0; p < PARTITIONS; p++) total += (await readPosition(lake, p).catch(() => 0)) ?? 0;
      return total;
    };

    const first = startArchiverProcess();
    const exited = new Promise<NodeJS.Signals | null>((resolve) => first.once('exit', (_code, signal) => resolve(signal)));
    while ((await archivedSoFar()) < 500) {
      expect(first.exitCode, 'archiver exited on its own').toBeNull();
      await sleep(10);
    }
    first.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const atKill = await archivedSoFar();
    expect(atKill).toBeLessThan(appended);

    startArchiverProcess();
    await sleep(300);
    writing = false;
    await writer;
    await waitArchived(lake, log);

    const { lines } = await readRaw(lake);
    const ids = lines.map((l) => l.event.messageId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(archiveRecords(0, appended).map((r) => r.value.messageId)));
  }, 90_000);
});
