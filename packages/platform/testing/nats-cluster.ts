import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { freePort } from './free-port.ts';

export interface NatsNode {
  readonly name: string;
  readonly url: string;
  readonly running: boolean;
}

export interface NatsCluster {
  readonly nodes: readonly NatsNode[];
  /** Every node's client URL, comma-separated: what a client is given so it can fail over. */
  readonly url: string;
  /** SIGKILL, as a machine loss would: no flush, no leader hand-off. Resolves once the process is gone. */
  kill(name: string): Promise<void>;
  /** Starts a killed node again on its own store directory and ports. */
  restart(name: string): Promise<void>;
  /** Waits until the stream has a leader (not on `avoid`, when given) and returns its name. */
  streamLeader(stream: string, options?: { avoid?: string; timeoutMs?: number }): Promise<string>;
  /** Waits until the durable consumer has a leader (not on `avoid`, when given) and returns its name. */
  consumerLeader(stream: string, consumer: string, options?: { avoid?: string; timeoutMs?: number }): Promise<string>;
  /**
   * Asks the stream's leader to step down until the stream is led by `node` (the new leader is the
   * cluster's choice, so it may take a few tries); false when `tries` ran out.
   */
  moveStreamLeader(stream: string, node: string, tries?: number): Promise<boolean>;
  /** The stream's configured replica count. */
  streamReplicas(stream: string): Promise<number>;
  /** Waits until every replica of the stream is current (a restarted node has caught up). */
  streamCaughtUp(stream: string, options?: { timeoutMs?: number }): Promise<void>;
  stop(): Promise<void>;
}

interface Node {
  name: string;
  port: number;
  routePort: number;
  dir: string;
  process: ChildProcess | undefined;
}

/**
 * A JetStream cluster of `nats-server` processes on loopback (`size: 1`: one standalone server), each with its own store in a
 * temporary directory and routes to the others, for tests that kill a node mid-traffic.
 *
 * @example
 * const cluster = await startNatsCluster({ binary: realBinary('nats-server').path });
 * await cluster.kill(await cluster.streamLeader('EVENTS'));
 */
export async function startNatsCluster(options: { binary?: string; size?: number } = {}): Promise<NatsCluster> {
  const binary = options.binary ?? 'nats-server';
  const size = options.size ?? 3;
  const root = await mkdtemp(join(tmpdir(), 'nats-cluster-'));
  const nodes: Node[] = [];
  for (let i = 0; i < size; i++) {
    const dir = join(root, `n${i + 1}`);
    await mkdir(dir);
    nodes.push({ name: `n${i + 1}`, port: await freePort(), routePort: await freePort(), dir, process: undefined });
  }
  const clusterName = `test-${process.pid}-${Date.now().toString(36)}`;
  const url = nodes.map((n) => `nats://127.0.0.1:${n.port}`).join(',');
  let admin: { nc: NatsConnection; jsm: JetStreamManager } | undefined;

  const launch = (node: Node): void => {
    const routes = nodes.filter((n) => n !== node).map((n) => `nats://127.0.0.1:${n.routePort}`).join(',');
    // Loopback only; the store (-sd) survives a kill so a restarted node recovers from it.
    const args = ['-a', '127.0.0.1', '-p', String(node.port), '-n', node.name, '-js', '-sd', node.dir];
    // One node runs standalone (the R1 baseline of a benchmark); more form a cluster over routes.
    if (size > 1) args.push('--cluster_name', clusterName, '--cluster', `nats://127.0.0.1:${node.routePort}`, '--routes', routes);
    const log = createWriteStream(join(node.dir, 'server.log'), { flags: 'a' });
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    node.process = child;
  };

  const byName = (name: string): Node => {
    const node = nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name} in the cluster (${nodes.map((n) => n.name).join(', ')})`);
    return node;
  };

  const waitFor = async <T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    while (Date.now() < deadline) {
      try {
        const value = await probe();
        if (value !== undefined) return value;
      } catch (err) {
        last = err;
      }
      await sleep(100);
    }
    throw new Error(`NATS cluster: ${what} within ${timeoutMs} ms${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
  };

  const manager = async (): Promise<JetStreamManager> => {
    if (!admin) {
      const nc = await connect({ servers: url.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 100 });
      admin = { nc, jsm: await jetstreamManager(nc, { timeout: 2_000 }) };
    }
    return admin.jsm;
  };

  const stop = async (): Promise<void> => {
    await admin?.nc.close().catch(() => {});
    admin = undefined;
    await Promise.all(nodes.map((n) => killNode(n)));
    await rm(root, { recursive: true, force: true });
  };

  const streamLeader = (stream: string, { avoid, timeoutMs = 30_000 }: { avoid?: string; timeoutMs?: number } = {}): Promise<string> =>
    waitFor(`stream ${stream} got no leader${avoid ? ` other than ${avoid}` : ''}`, timeoutMs, async () => {
      const info = await (await manager()).streams.info(stream);
      const leader = info.cluster?.leader;
      return leader && leader !== avoid ? leader : undefined;
    });

  for (const node of nodes) launch(node);
  try {
    // Ready when JetStream answers: the cluster has elected its meta leader.
    await waitFor('JetStream did not come up', 30_000, async () => {
      const jsm = await manager();
      await jsm.getAccountInfo();
      return true;
    });
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    nodes: nodes.map((n) => ({
      name: n.name,
      url: `nats://127.0.0.1:${n.port}`,
      get running() {
        return n.process !== undefined;
      },
    })),
    url,
    kill: (name) => killNode(byName(name)),
    async restart(name) {
      const node = byName(name);
      if (node.process) throw new Error(`node ${name} is running`);
      launch(node);
    },
    streamLeader,
    consumerLeader(stream, consumer, { avoid, timeoutMs = 30_000 } = {}) {
      return waitFor(`consumer ${stream}/${consumer} got no leader${avoid ? ` other than ${avoid}` : ''}`, timeoutMs, async () => {
        const info = await (await manager()).consumers.info(stream, consumer);
        const leader = info.cluster?.leader;
        return leader && leader !== avoid ? leader : undefined;
      });
    },
    async moveStreamLeader(stream, node, tries = 6) {
      for (let i = 0; i < tries; i++) {
        const leader = await streamLeader(stream);
        if (leader === node) return true;
        await manager();
        await admin!.nc.request(`$JS.API.STREAM.LEADER.STEPDOWN.${stream}`, '', { timeout: 5_000 });
        await streamLeader(stream, { avoid: leader });
      }
      return (await streamLeader(stream)) === node;
    },
    async streamReplicas(stream) {
      return (await (await manager()).streams.info(stream)).config.num_replicas;
    },
    async streamCaughtUp(stream, { timeoutMs = 30_000 } = {}) {
      await waitFor(`stream ${stream} did not catch up`, timeoutMs, async () => {
        const info = await (await manager()).streams.info(stream);
        const replicas = info.cluster?.replicas ?? [];
        const expected = info.config.num_replicas - 1;
        return replicas.length === expected && replicas.every((r) => r.current && !r.offline && (r.lag ?? 0) === 0) ? true : undefined;
      });
    },
    stop,
  };
}

async function killNode(node: Node): Promise<void> {
  const child = node.process;
  if (!child) return;
  node.process = undefined;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
