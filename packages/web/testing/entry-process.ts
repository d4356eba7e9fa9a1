import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { until } from './commerce-process.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');

export interface EntryProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * One of the repository's apps run by path (`entry`, relative to the repository root) through tsx,
 * as `npm start` runs it, listening on `port`. Resolves once `readyPath` answers 2xx; a process
 * that never gets there is stopped. `cleanup` runs after the process has exited.
 */
export async function startEntryProcess(o: {
  entry: string;
  env: Record<string, string>;
  port: number;
  readyPath: string;
  what: string;
  timeoutMs?: number;
  cleanup?: () => Promise<unknown>;
}): Promise<EntryProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, o.entry)], {
    cwd: repoRoot,
    env: o.env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${o.port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await o.cleanup?.();
  };
  try {
    await until(o.what, async () => (await fetch(`${url}${o.readyPath}`).catch(() => null))?.ok === true, o.timeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}
