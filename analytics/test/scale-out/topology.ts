import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localLakeDir } from '../../src/storage/index.ts';
import { freePort, killHard, spawnTs, until, type RunningChild } from './child-processes.ts';
import { deleteStreams } from '../support/nats-streams.ts';
import { deleteRunKeys } from './redis-cleanup.ts';

export interface Engines {
  redisUrl: string;
  natsUrl: string;
}

/** A collector/query node: `analytics/src/main.ts` with every consumer switched off. */
export interface ApiNode {
  url: string;
  process: RunningChild;
}

export interface ScaleOutTopology {
  /** Random per run: names the NATS streams, the Redis prefix and the tenants. */
  run: string;
  partitions: number;
  dataDir: string;
  /** Where the archivers write raw NDJSON and the batch job its views (the local object store). */
  lakeDir: string;
  streamPrefix: string;
  redisPrefix: string;
  adminToken: string;
  engines: Engines;
  apis: ApiNode[];
  /** Every process ever started, dead or alive. */
  children: RunningChild[];
  startApi(): Promise<ApiNode>;
  startSpeed(index: number, count: number): RunningChild;
  startArchiver(index: number, count: number): RunningChild;
  /** kill -9, expected: `assertAlive` no longer counts this process. */
  kill(child: RunningChild): Promise<NodeJS.Signals | null>;
  /** Throws naming any process that ended without being killed (with its last output). */
  assertAlive(): void;
  /** kill -9 of every child, then the run's NATS streams, Redis keys (everything under its prefix) and temp dir. */
  cleanup(): Promise<void>;
}

/**
 * The production topology on one machine: NATS JetStream log, Redis (tenants, dedup, rate
 * limits, speed views) and a local-directory object store shared by every process, with
 * names unique to this run so parallel suites and benchmarks never meet.
 *
 * @example
 * const topology = await createTopology({ engines, partitions: 4, label: 'test' });
 * const api = await topology.startApi();
 * topology.startSpeed(0, 2); topology.startSpeed(1, 2);
 */
export async function createTopology(options: { engines: Engines; partitions: number; label: string }): Promise<ScaleOutTopology> {
  const run = randomBytes(3).toString('hex');
  const dataDir = await mkdtemp(join(tmpdir(), `scale-out-${options.label}-`));
  const streamPrefix = `so_${options.label}_${run}`;
  const redisPrefix = `${options.label}:scale-out:${run}:`;
  const adminToken = `at_${randomBytes(24).toString('base64url')}`;
  const { engines, partitions } = options;
  const children: RunningChild[] = [];
  const killed = new Set<RunningChild>();
  const apis: ApiNode[] = [];

  const shared = {
    DATA_DIR: dataDir,
    NATS_URL: engines.natsUrl,
    ANALYTICS_NATS_STREAM_PREFIX: streamPrefix,
    ANALYTICS_LOG_PARTITIONS: String(partitions),
    LOG_LEVEL: 'warn',
  };
  const start = (name: string, entry: string, env: Record<string, string>) => {
    const child = spawnTs(name, entry, { ...shared, ...env });
    children.push(child);
    return child;
  };

  return {
    run,
    partitions,
    dataDir,
    lakeDir: localLakeDir(dataDir),
    streamPrefix,
    redisPrefix,
    adminToken,
    engines,
    apis,
    children,
    async startApi() {
      const port = await freePort();
      const process = start(`api-${apis.length}`, 'analytics/src/main.ts', {
        ANALYTICS_PORT: String(port),
        HOST: '127.0.0.1',
        REDIS_URL: engines.redisUrl,
        ANALYTICS_REDIS_PREFIX: redisPrefix,
        ANALYTICS_SPEED_IN_PROCESS: 'false',
        ANALYTICS_ARCHIVE_IN_PROCESS: 'false',
        ANALYTICS_BATCH_IN_PROCESS: 'false',
        ANALYTICS_ADMIN_TOKEN: adminToken,
        ANALYTICS_DEFAULT_RATE_LIMIT: '10000000',
        ANALYTICS_DEFAULT_DAILY_QUOTA: '1000000000',
      });
      const node = { url: `http://127.0.0.1:${port}`, process };
      await until(
        `${process.name} to answer /ready`,
        async () => {
          if (!process.running()) throw new Error(`${process.name} exited: ${process.output()}`);
          return fetch(`${node.url}/ready`).then(
            (res) => res.ok,
            () => false,
          );
        },
        60_000,
      );
      apis.push(node);
      return node;
    },
    startSpeed(index, count) {
      return start(`speed-${index}/${count}`, 'analytics/src/processes/speed.ts', {
        REDIS_URL: engines.redisUrl,
        ANALYTICS_REDIS_PREFIX: redisPrefix,
        SPEED_MEMBER_INDEX: String(index),
        SPEED_MEMBER_COUNT: String(count),
        SPEED_FLUSH_MS: '50',
      });
    },
    startArchiver(index, count) {
      return start(`archiver-${index}/${count}`, 'analytics/src/processes/archiver.ts', {
        ARCHIVE_MEMBER_INDEX: String(index),
        ARCHIVE_MEMBER_COUNT: String(count),
        ARCHIVE_FLUSH_RECORDS: '1000',
        ARCHIVE_FLUSH_MS: '100',
      });
    },
    kill(child) {
      killed.add(child);
      return killHard(child);
    },
    assertAlive() {
      for (const child of children) {
        if (!child.running() && !killed.has(child)) throw new Error(`${child.name} exited on its own: ${child.output()}`);
      }
    },
    async cleanup() {
      await Promise.all(
        children.map((child) => {
          killed.add(child);
          return killHard(child);
        }),
      );
      await deleteStreams(engines.natsUrl, streamPrefix);
      await deleteRunKeys(engines.redisUrl, redisPrefix);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
