import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const REGISTER = fileURLToPath(new URL('./import-recorder.register.mjs', import.meta.url));

/**
 * Every module URL an entry point loads, as node + tsx run it. ESM links the whole static graph
 * before any of it runs, so an entry that stops at once (a config error) has still loaded all of
 * it; `env` is the entry's whole environment besides PATH.
 */
export async function loadedModules(entry: string, env: Record<string, string>, dir: string, args: readonly string[] = []): Promise<string[]> {
  const file = join(dir, `imports-${process.hrtime.bigint()}.txt`);
  await writeFile(file, '');
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', REGISTER, entry, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, IMPORT_RECORD_FILE: file },
    stdio: 'ignore',
  });
  await new Promise((resolve, reject) => {
    child.once('exit', resolve);
    child.once('error', reject);
  });
  return [...new Set((await readFile(file, 'utf8')).split('\n').filter(Boolean))];
}
