import { spawn } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { partitionFor } from '../../src/log/event-log.ts';
import type { LogRecord } from '../../src/log/event-log.ts';
import { createFileLog } from '../../src/log/file-log.adapter.ts';
import { testEvent, testRecord } from '../support/log-test-events.fixture.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = join(here, '../../..');

async function fileHandlePrototype(dir: string): Promise<FileHandle> {
  const probe = await open(join(dir, 'probe'), 'w');
  await probe.close();
  return Object.getPrototypeOf(probe) as FileHandle;
}

describe('file event log durability', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'event-log-durable-'));
    dirs.push(dir);
    return dir;
  };

  /** Holds every fdatasync at a gate so the test sees what happens before the data is durable. */
  async function gateDatasync(dir: string) {
    const proto = await fileHandlePrototype(dir);
    const original = proto.datasync;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const firstEntered = new Promise<void>((resolve) => (entered = resolve));
    let calls = 0;
    vi.spyOn(proto, 'datasync').mockImplementation(async function (this: FileHandle) {
      calls++;
      entered();
      await gate;
      return original.call(this);
    });
    return { release, firstEntered, calls: () => calls };
  }

  it('resolves append only after the data is fdatasync-ed', async () => {
    const dir = await tempDir();
    const log = await createFileLog({ dir, partitions: 1 });
    const sync = await gateDatasync(dir);
    let resolved = false;
    const appended = log.append([testRecord('acme', 'a')]).then(() => (resolved = true));
    await sync.firstEntered;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resolved).toBe(false);
    // Not yet durable, so not yet visible to readers either.
    expect(await log.read(0, 0, { max: 10 })).toEqual([]);
    sync.release();
    await appended;
    expect(await log.read(0, 0, { max: 10 })).toHaveLength(1);
    await log.close();
  });

  it('lets appends that arrive during an fsync share the next one (group commit)', async () => {
    const dir = await tempDir();
    const log = await createFileLog({ dir, partitions: 1 });
    const sync = await gateDatasync(dir);
    const first = log.append([testRecord('acme', 'first')]);
    await sync.firstEntered;
    const rest = Array.from({ length: 50 }, (_, i) => log.append([testRecord('acme', `r-${i}`)]));
    sync.release();
    await Promise.all([first, ...rest]);
    expect(sync.calls()).toBe(2);
    expect(await log.read(0, 0, { max: 100 })).toHaveLength(51);
    await log.close();
  });

  it('keeps every acknowledged batch intact after the writer is killed with SIGKILL', async () => {
    const dir = await tempDir();
    const script = join(here, '../support/file-log-crash.writer-script.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const acked: { batch: number; size: number }[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) acked.push(JSON.parse(line) as { batch: number; size: number });
        // Kill while the four writer loops still have appends in flight.
        if (acked.length >= 60 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`writer exited before the kill: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');

    // A kill -9 loses the process, not the OS page cache, so this proves that nothing
    // acknowledged was still only in the process's memory; that append waits for fdatasync
    // itself is proven by the gated-fsync test above (power loss cannot be simulated here).
    const log = await createFileLog({ dir, partitions: 4 });
    const all: LogRecord[] = [];
    for (let p = 0; p < 4; p++) {
      const { first, next } = await log.bounds(p);
      const records = await log.read(p, first, { max: 1_000_000 });
      expect(records.map((r) => r.offset)).toEqual(Array.from({ length: next - first }, (_, i) => first + i));
      all.push(...records);
    }
    const byId = new Map(all.map((r) => [r.value.messageId, r]));
    expect(byId.size).toBe(all.length);
    for (const { batch, size } of acked) {
      for (let i = 0; i < size; i++) {
        const record = byId.get(`b${batch}-${i}`);
        expect(record, `acknowledged record b${batch}-${i}`).toBeDefined();
        expect(record!.value).toEqual(testEvent(record!.key, `b${batch}-${i}`));
      }
    }
    await log.append([testRecord('acme', 'after-crash')]);
    const p = partitionFor('acme', 4);
    const { next } = await log.bounds(p);
    expect((await log.read(p, next - 1, { max: 1 }))[0]!.value.messageId).toBe('after-crash');
    await log.close();
  }, 60_000);
});
