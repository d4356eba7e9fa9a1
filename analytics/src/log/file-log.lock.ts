import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Thrown when another live process (or this one) already writes to the log directory. */
export class EventLogLockedError extends Error {
  readonly code = 'EVENT_LOG.LOCKED';
  constructor(
    readonly dir: string,
    readonly holderPid: number,
  ) {
    super(`event log ${dir} is locked by live process ${holderPid}; only one writer per directory`);
  }
}

const LOCK_FILE = 'writer.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else; it is still alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the single-writer lock of `dir`: a file holding our pid, created exclusively.
 * A lock left by a dead process (crash, kill -9) is taken over. Pid reuse could make a stale
 * lock look alive; the error then names the pid so an operator can check and delete the file.
 */
export async function acquireWriterLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      return async () => {
        const holder = await readFile(path, 'utf8').catch(() => '');
        if (holder === String(process.pid)) await unlink(path).catch(() => {});
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holderPid = Number(await readFile(path, 'utf8').catch(() => '0'));
    if (holderPid > 0 && (holderPid === process.pid || isAlive(holderPid))) {
      throw new EventLogLockedError(dir, holderPid);
    }
    await unlink(path).catch(() => {});
  }
  throw new Error(`could not take the writer lock of event log ${dir} (lock file keeps reappearing)`);
}
