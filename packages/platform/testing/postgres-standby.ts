import { execFile } from 'node:child_process';
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readdirSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';

const run = promisify(execFile);
const TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres', 'psql'] as const;

/**
 * Where `initdb`, `pg_ctl`, `pg_basebackup`, `postgres` and `psql` are: PG_BIN when set (only there:
 * `test:engine-free` points it at nothing), else the newest /usr/lib/postgresql/N/bin, else /usr/local/bin.
 */
function findBinaries(): string | undefined {
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => `/usr/lib/postgresql/${v}/bin`)
    : [];
  const candidates = process.env.PG_BIN !== undefined ? [process.env.PG_BIN] : [...versions, '/usr/local/bin', '/usr/bin'];
  return candidates.find((dir) =>
    TOOLS.every((tool) => {
      try {
        accessSync(join(dir, tool), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
}

/**
 * Whether a test may start its own PostgreSQL servers. Like `realEngine`: without the binaries
 * the suite is skipped, except under `REQUIRE_SERVICES=1` (CI), where that is a failure.
 */
export function postgresBinaries(): { available: boolean; bin: string } {
  const bin = findBinaries();
  if (!bin && process.env.REQUIRE_SERVICES === '1') {
    throw new Error(`REQUIRE_SERVICES=1 but ${TOOLS.join(', ')} were not found (set PG_BIN to their directory)`);
  }
  return { available: Boolean(bin), bin: bin ?? '' };
}

export interface PostgresServer {
  port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  url: string;
  dataDir: string;
}

export interface PostgresStandbyPair {
  primary: PostgresServer;
  standby: PostgresServer;
  /** Both hosts, primary first, with `target_session_attrs`; `database` replaces `postgres`. */
  url(database: string, target?: string): string;
  /** `pg_ctl stop -m immediate` by default: the primary vanishes as in a crash, no shutdown checkpoint. */
  stopPrimary(mode?: 'immediate' | 'fast'): Promise<void>;
  /** `pg_ctl promote`, waiting until the standby takes writes. */
  promoteStandby(): Promise<void>;
  /** Stops both servers and removes their directories. */
  remove(): Promise<void>;
}

const STANDBY_NAME = 'standby1';

/**
 * A primary (`initdb` into a temporary directory) and a streaming hot standby (`pg_basebackup -R`)
 * on free loopback ports, with `synchronous_standby_names` naming the standby when `synchronous`:
 * then a commit is acknowledged only once the standby has flushed it, so promoting the standby
 * after the primary dies loses no acknowledged transaction. PostgreSQL refuses to run as root:
 * as root the servers run as PG_TEST_USER (default `postgres`) through `runuser`.
 *
 * @example
 * const pg = postgresBinaries();
 * describe.skipIf(!pg.available)('failover', () => { ... const pair = await startPostgresStandbyPair({ synchronous: true }); ... });
 */
export async function startPostgresStandbyPair(options: { synchronous: boolean; bin?: string }): Promise<PostgresStandbyPair> {
  const bin = options.bin ?? postgresBinaries().bin;
  if (!bin) throw new Error('PostgreSQL binaries not found');
  const asRoot = process.getuid?.() === 0;
  const user = process.env.PG_TEST_USER ?? 'postgres';
  const ids = asRoot ? await userIds(user) : undefined;
  const tool = async (name: string, args: string[]) => {
    const [file, argv] = asRoot ? ['runuser', ['-u', user, '--', join(bin, name), ...args]] : [join(bin, name), args];
    return run(file, argv, { timeout: 60_000 });
  };

  const root = mkdtempSync(join(tmpdir(), 'pg-standby-'));
  const primaryDir = join(root, 'primary');
  const standbyDir = join(root, 'standby');
  if (ids) chownSync(root, ids.uid, ids.gid);
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const server = (port: number, dataDir: string): PostgresServer => ({ port, dataDir, url: `postgres://postgres@127.0.0.1:${port}/postgres` });
  const primary = server(primaryPort, primaryDir);
  const standby = server(standbyPort, standbyDir);
  const start = (dir: string, port: number) =>
    tool('pg_ctl', ['-D', dir, '-l', join(root, `${port}.log`), '-w', '-t', '30', '-o', `-c port=${port} -c unix_socket_directories=${root}`, 'start']);
  const stop = (dir: string, mode: string) => tool('pg_ctl', ['-D', dir, '-m', mode, '-w', '-t', '30', 'stop']).catch(() => undefined);

  try {
    await tool('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    appendFileSync(
      join(primaryDir, 'postgresql.conf'),
      [
        "listen_addresses = '127.0.0.1'",
        'wal_level = replica',
        'max_wal_senders = 5',
        'hot_standby = on',
        'max_connections = 100',
        'shared_buffers = 32MB',
        '',
      ].join('\n'),
    );
    await start(primaryDir, primaryPort);
    await tool('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standbyDir, '-R', '-X', 'stream', '--no-sync']);
    // The standby names itself so synchronous_standby_names can wait for it.
    appendFileSync(
      join(standbyDir, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${primaryPort} user=postgres application_name=${STANDBY_NAME}'\n`,
    );
    await start(standbyDir, standbyPort);
    const sql = (port: number, text: string) => psql(tool, port, text);
    if (options.synchronous) {
      await sql(primaryPort, `alter system set synchronous_standby_names = '${STANDBY_NAME}'`);
      await sql(primaryPort, 'select pg_reload_conf()');
    }
    const wanted = options.synchronous ? 'sync' : 'async';
    await until(async () => (await sql(primaryPort, `select sync_state from pg_stat_replication where application_name = '${STANDBY_NAME}'`)) === wanted, `the standby to stream (${wanted})`);

    return {
      primary,
      standby,
      url: (database, target = 'read-write') =>
        `postgres://postgres@127.0.0.1:${primaryPort},127.0.0.1:${standbyPort}/${database}?target_session_attrs=${target}`,
      stopPrimary: async (mode = 'immediate') => void (await tool('pg_ctl', ['-D', primaryDir, '-m', mode, '-w', '-t', '30', 'stop'])),
      async promoteStandby() {
        await tool('pg_ctl', ['-D', standbyDir, '-w', '-t', '30', 'promote']);
        await until(async () => (await sql(standbyPort, 'select pg_is_in_recovery()')) === 'f', 'the promoted standby to take writes');
      },
      async remove() {
        await Promise.all([stop(primaryDir, 'immediate'), stop(standbyDir, 'immediate')]);
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all([stop(primaryDir, 'immediate'), stop(standbyDir, 'immediate')]);
    const log = (port: number) => (existsSync(join(root, `${port}.log`)) ? join(root, `${port}.log`) : 'no log');
    rmSync(root, { recursive: true, force: true });
    throw new Error(`could not start the PostgreSQL pair (${log(primaryPort)}, ${log(standbyPort)}): ${String(error)}`, { cause: error });
  }
}

/** One value from psql (the binaries' own client, so the helper needs no driver). */
async function psql(tool: (name: string, args: string[]) => Promise<{ stdout: string }>, port: number, text: string): Promise<string> {
  const { stdout } = await tool('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-XAtqc', text]);
  return stdout.trim();
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function userIds(user: string): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
