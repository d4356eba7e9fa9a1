import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * The sandbox gateway's durable memory: an append-only file of JSON lines, each written and
 * fsynced before the sandbox answers, as a real gateway commits before it replies. On start
 * the lines are read back in order; a line cut short by a crash was never answered, so it is
 * skipped and the caller's retry (same idempotency key) performs that call again.
 */
export interface SandboxJournal<R> {
  /** What the file held when it was opened, oldest first. */
  readonly records: readonly R[];
  /** Resolves once the record is on disk. */
  append(record: R): Promise<void>;
}

export async function openSandboxJournal<R>(path: string): Promise<SandboxJournal<R>> {
  await mkdir(dirname(path), { recursive: true });
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const records = text.split('\n').flatMap((line) => {
    try {
      return line ? [JSON.parse(line) as R] : [];
    } catch {
      return [];
    }
  });
  const handle: FileHandle = await open(path, 'a');
  // A torn tail would glue itself to the next record: start on a fresh line.
  let pending: Array<{ line: string; done: () => void; failed: (error: unknown) => void }> = [];
  let flushing: Promise<void> = text && !text.endsWith('\n') ? handle.write('\n').then(() => undefined) : Promise.resolve();
  let scheduled = false;

  // Group commit: records appended while a write and its datasync are under way go out together
  // in the next write, covered by one datasync; each caller still resolves only once its line is on disk.
  async function flush(): Promise<void> {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      await handle.write(batch.map((b) => b.line).join(''));
      await handle.datasync();
      for (const b of batch) b.done();
    } catch (error) {
      for (const b of batch) b.failed(error);
    }
  }

  return {
    records,
    append(record) {
      return new Promise<void>((done, failed) => {
        pending.push({ line: `${JSON.stringify(record)}\n`, done, failed });
        if (scheduled) return;
        scheduled = true;
        flushing = flushing.then(flush, flush);
      });
    },
  };
}
