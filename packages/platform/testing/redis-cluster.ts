import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

export interface RedisClusterNode {
  port: number;
  process: ChildProcess;
}

export interface RedisCluster {
  /** `redis+cluster://127.0.0.1:p1,...`: what the adapters' `*_REDIS_URL` settings take. */
  url: string;
  nodes: RedisClusterNode[];
  /** Runs `redis-cli -p <port> <args>` and returns its output. */
  cli(port: number, ...args: string[]): Promise<string>;
  /** The ports of the current masters, as the cluster itself reports them. */
  masters(): Promise<number[]>;
  /** The port of the master serving `key`'s slot now. */
  masterOf(key: string): Promise<number>;
  /** kill -9 of one node; resolves once the process is gone. */
  kill(port: number): Promise<void>;
  /** Resolves once every live node reports `cluster_state:ok`, `masters` masters serve and every live replica is in sync. */
  waitHealthy(options?: { timeoutMs?: number; masters?: number }): Promise<void>;
  stop(): Promise<void>;
}

/** Whether this machine can start a cluster: `redis-server` and `redis-cli` are on the PATH. */
export async function redisClusterBinariesPresent(): Promise<boolean> {
  try {
    await run('redis-server', ['--version']);
    await run('redis-cli', ['--version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether cluster suites can run. Like `realEngine`: skipped without the binaries (or with
 * `TEST_REDIS_CLUSTER=off`), except under `REQUIRE_SERVICES=1` (CI), where that is a failure.
 *
 * @example
 * const canCluster = await redisClusterAvailable();
 * describe.skipIf(!canCluster)('on a Redis Cluster', () => { ... });
 */
export async function redisClusterAvailable(): Promise<boolean> {
  // `npm run test:engine-free` turns the cluster off with the other engines.
  const present = process.env.TEST_REDIS_CLUSTER !== 'off' && (await redisClusterBinariesPresent());
  if (!present && process.env.REQUIRE_SERVICES === '1') {
    throw new Error('REQUIRE_SERVICES=1 but redis-server/redis-cli are not on the PATH or TEST_REDIS_CLUSTER=off (the Redis Cluster suites need them)');
  }
  return present;
}

/**
 * Starts a throwaway Redis Cluster on loopback: `masters` masters and `replicasPerMaster` replicas
 * each, in a temporary directory on free ports, joined with `redis-cli --cluster create`, and
 * waits for `cluster_state:ok`. Fast failover settings (`cluster-node-timeout` 1 s) so a fault test
 * stays short. Call `stop()` in `afterAll`.
 *
 * @example
 * const cluster = await startRedisCluster({ masters: 3, replicasPerMaster: 1 });
 * const store = createRedisStore(cluster.url, 'test:');
 * await cluster.stop();
 */
export async function startRedisCluster(options: { masters?: number; replicasPerMaster?: number; nodeTimeoutMs?: number } = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicasPerMaster ?? 0;
  const dir = await mkdtemp(join(tmpdir(), 'redis-cluster-'));
  const nodes: RedisClusterNode[] = [];
  const cli = async (port: number, ...args: string[]) => (await run('redis-cli', ['-p', String(port), ...args], { timeout: 30_000 })).stdout;
  const stop = async () => {
    await Promise.all(
      nodes.map(
        (node) =>
          new Promise<void>((resolve) => {
            if (node.process.exitCode !== null || node.process.signalCode !== null) return resolve();
            node.process.once('exit', () => resolve());
            node.process.kill('SIGKILL');
          }),
      ),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters * (1 + replicas); i++) nodes.push(await startNode(dir, options.nodeTimeoutMs ?? 1000, cli, nodes));
    await cli(
      nodes[0]!.port,
      '--cluster', 'create',
      ...nodes.map((node) => `127.0.0.1:${node.port}`),
      '--cluster-replicas', String(replicas),
      '--cluster-yes',
    );
    const cluster: RedisCluster = {
      url: `redis+cluster://${nodes.map((node) => `127.0.0.1:${node.port}`).join(',')}`,
      nodes,
      cli,
      async masters() {
        const live = nodes.find((node) => node.process.exitCode === null && node.process.signalCode === null);
        if (!live) return [];
        return (await servingMasters(cli, live.port)).map((master) => master.port);
      },
      async masterOf(key) {
        const live = nodes.find((node) => node.process.exitCode === null && node.process.signalCode === null);
        if (!live) throw new Error('no node is running');
        const slot = Number((await cli(live.port, 'cluster', 'keyslot', key)).trim());
        const master = (await servingMasters(cli, live.port)).find((m) => m.slots.some(([from, to]) => slot >= from && slot <= to));
        if (!master) throw new Error(`no master serves slot ${slot}`);
        return master.port;
      },
      async kill(port) {
        const node = nodes.find((n) => n.port === port);
        if (!node || node.process.exitCode !== null || node.process.signalCode !== null) return;
        const exited = new Promise((resolve) => node.process.once('exit', resolve));
        node.process.kill('SIGKILL');
        await exited;
      },
      async waitHealthy({ timeoutMs = 20_000, masters: expected = masters } = {}) {
        await waitFor(
          async () => {
            for (const node of nodes) {
              if (node.process.exitCode !== null || node.process.signalCode !== null) continue;
              if (!(await cli(node.port, 'cluster', 'info')).includes('cluster_state:ok')) return false;
              // A replica that has not finished its first sync would not be promoted if its master died.
              const replication = await cli(node.port, 'info', 'replication');
              if (replication.includes('role:slave') && !/master_link_status:up/.test(replication)) return false;
              if (/master_sync_in_progress:1/.test(replication)) return false;
            }
            return (await cluster.masters()).length === expected;
          },
          timeoutMs,
          'cluster_state:ok',
        );
      },
      stop,
    };
    await cluster.waitHealthy();
    return cluster;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * One cluster node on free ports, answering PING. A free port is only free when it was looked at:
 * another suite's server may take it before redis-server binds, so a node that exits at start is
 * started again on other ports, and the last failure carries the end of its log.
 */
async function startNode(dir: string, nodeTimeoutMs: number, cli: RedisCluster['cli'], taken: readonly RedisClusterNode[]): Promise<RedisClusterNode> {
  let failure = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const used = new Set(taken.map((node) => node.port));
    let port = await freePort();
    while (used.has(port)) port = await freePort();
    // The bus port defaults to port + 10,000, which may be taken or past 65,535: choose it too.
    let busPort = await freePort();
    while (busPort === port || used.has(busPort)) busPort = await freePort();
    const log = join(dir, `redis-${port}.log`);
    const child = spawn(
      'redis-server',
      [
        '--port', String(port),
        '--cluster-port', String(busPort),
        '--bind', '127.0.0.1',
        '--cluster-enabled', 'yes',
        '--cluster-config-file', join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout', String(nodeTimeoutMs),
        '--dir', dir,
        '--dbfilename', `dump-${port}.rdb`,
        '--appendonly', 'no',
        '--save', '',
        '--protected-mode', 'no',
        '--logfile', log,
      ],
      { stdio: 'ignore' },
    );
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    try {
      await waitFor(async () => {
        if (exited()) throw new ExitedAtStart();
        return (await cli(port, 'ping')).trim() === 'PONG';
      }, 20_000, `redis-server on ${port}`);
      return { port, process: child };
    } catch (error) {
      if (!exited()) child.kill('SIGKILL');
      const tail = (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join(' | ');
      failure = `${error instanceof ExitedAtStart ? `redis-server on ${port} exited at start` : (error as Error).message}${tail ? `: ${tail}` : ''}`;
    }
  }
  throw new Error(failure);
}

class ExitedAtStart extends Error {}

/** Masters that own slots and are not marked failing, from `CLUSTER NODES` as one node sees it. */
async function servingMasters(cli: RedisCluster['cli'], port: number): Promise<{ port: number; slots: [number, number][] }[]> {
  return (await cli(port, 'cluster', 'nodes')).split('\n').flatMap((line) => {
    const fields = line.trim().split(' ');
    const flags = (fields[2] ?? '').split(',');
    if (!flags.includes('master') || flags.some((flag) => flag.startsWith('fail')) || fields.length <= 8) return [];
    const slots = fields.slice(8).flatMap((range): [number, number][] => {
      if (range.startsWith('[')) return []; // a slot being migrated
      const [from, to = from] = range.split('-').map(Number);
      return [[from!, to!]];
    });
    return [{ port: Number(/:(\d+)@/.exec(fields[1] ?? '')?.[1]), slots }];
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch((error: unknown) => {
      if (error instanceof ExitedAtStart) throw error;
      return false;
    })) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
