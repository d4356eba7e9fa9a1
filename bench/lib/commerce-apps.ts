import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, repoRoot, waitFor } from '../../commerce/test/support/process.ts';
import { treeCpuMs } from './proc-cpu.ts';

export interface CommerceAppProcess {
  base: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

/**
 * Starts `count` commerce app processes on one database (the first seeds the demo catalog, the
 * others start once it is ready, as `N` instances sharing the bus through PostgreSQL would), each
 * with the statement counter preloaded and, with `cpuProfileDir`, `node --cpu-prof`.
 */
export async function startCommerceApps(options: {
  count: number;
  env: Record<string, string>;
  dataDir: string;
  cpuProfileDir?: string;
}): Promise<CommerceAppProcess[]> {
  const apps: CommerceAppProcess[] = [];
  for (let i = 0; i < options.count; i++) {
    const port = await freePort();
    const args = ['--import', 'tsx', '--import', resolve(import.meta.dirname, 'count-statements.ts')];
    if (options.cpuProfileDir) args.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir);
    // BENCH_APP_ROOT runs another checkout's app (an earlier commit) under this benchmark: same-run comparisons.
    const root = process.env.BENCH_APP_ROOT ?? repoRoot;
    args.push(resolve(root, 'commerce/src/main.ts'));
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: {
        ...process.env,
        ...options.env,
        COMMERCE_PORT: String(port),
        DATA_DIR: join(options.dataDir, `app-${i}`),
        SEED_DEMO_DATA: i === 0 ? 'true' : 'false',
        BENCH_STATEMENT_COUNT_FILE: join(options.dataDir, `statements-${i}.json`),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const exited = new Promise((ok) => child.once('exit', ok));
    const app = { base: `http://127.0.0.1:${port}`, child, output: () => text, exited };
    apps.push(app);
    try {
      // BENCH_READY_MS: the embedded default seeds its demo catalog into a fresh PGlite, minutes on a loaded machine.
      await waitFor(`${app.base}/ready`, Number(process.env.BENCH_READY_MS ?? 120_000));
    } catch (error) {
      console.error(text);
      await stopCommerceApps(apps);
      throw error;
    }
  }
  return apps;
}

/** Total CPU ms of the app processes (and their children) so far. */
export const appsCpuMs = (apps: readonly CommerceAppProcess[]) => apps.reduce((sum, a) => sum + treeCpuMs(a.child.pid!), 0);

export interface StatementCounts {
  total: number;
  byText: Map<string, number>;
}

/** Statements sent to PostgreSQL so far, summed over the apps (asks each through SIGUSR2). */
export async function appsStatements(apps: readonly CommerceAppProcess[], dataDir: string): Promise<StatementCounts> {
  const asked = Date.now();
  let total = 0;
  const byText = new Map<string, number>();
  for (const [i, app] of apps.entries()) {
    const file = join(dataDir, `statements-${i}.json`);
    if (existsSync(file)) rmSync(file);
    app.child.kill('SIGUSR2');
    const deadline = Date.now() + 5_000;
    for (;;) {
      if (existsSync(file)) {
        try {
          const report = JSON.parse(readFileSync(file, 'utf8')) as { count: number; at: number; byText: Record<string, number> };
          if (report.at >= asked) {
            total += report.count;
            for (const [text, n] of Object.entries(report.byText)) byText.set(text, (byText.get(text) ?? 0) + n);
            break;
          }
        } catch {
          // half written; read again
        }
      }
      if (Date.now() > deadline) throw new Error(`app ${i} did not report its statement count`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return { total, byText };
}

/** What was sent between two readings, by statement text, most frequent first. */
export function statementsBetween(before: StatementCounts, after: StatementCounts): Array<[string, number]> {
  return [...after.byText]
    .map(([text, n]): [string, number] => [text, n - (before.byText.get(text) ?? 0)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

export async function stopCommerceApps(apps: readonly CommerceAppProcess[]): Promise<void> {
  for (const app of apps) app.child.kill('SIGTERM');
  await Promise.all(apps.map((a) => a.exited));
}
