import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** One OS process of the topology: a TypeScript entry point run by node + tsx, as `npm start` runs it. */
export interface RunningChild {
  name: string;
  child: ChildProcess;
  /** Resolves when the process is gone, whatever ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last few KB of stdout + stderr, to explain a process that died on its own. */
  output(): string;
  running(): boolean;
}

// Engine and role settings a parent shell may export; a child gets only what its role is given.
const INHERITED_NOISE = /^(ANALYTICS_|SPEED_|ARCHIVE_|S3_|NATS_URL$|REDIS_URL$|KAFKA_BROKERS$|DATA_DIR$)/;

/**
 * Starts `entry` (relative to the repository root) with `args`, the parent's environment minus
 * any analytics settings, plus `env`.
 *
 * @example
 * const speed = spawnTs('speed-0', 'analytics/src/processes/speed.ts', { REDIS_URL, SPEED_MEMBER_INDEX: '0' });
 * await killHard(speed);
 */
export function spawnTs(name: string, entry: string, env: Record<string, string>, args: readonly string[] = []): RunningChild {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !INHERITED_NOISE.test(key)));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: REPO_ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { name, child, exited, output: () => text, running: () => child.exitCode === null && child.signalCode === null };
}

/** kill -9 and wait until the process is really gone. */
export async function killHard(running: RunningChild): Promise<NodeJS.Signals | null> {
  if (running.running()) running.child.kill('SIGKILL');
  return (await running.exited).signal;
}

/** A port nobody listens on right now (loopback). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it holds; fails naming `what` after `timeoutMs` (a hang guard, not a performance bound). */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000, explain?: () => string | Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${explain ? `: ${await explain()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
