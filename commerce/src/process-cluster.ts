import cluster, { type Worker } from 'node:cluster';
import { ConfigError, type Logger } from '@shop/platform';
import type { CommerceConfig } from './config.ts';

/**
 * `COMMERCE_PROCESSES=n`: n app processes behind one port (node:cluster: the primary accepts and
 * hands each connection to a worker in turn), so a machine's cores all serve requests. They share
 * what must be shared through the production engines only: PostgreSQL (orders, the bus, the
 * catalog's cache notices) and Redis (carts, limits), hence both are required.
 */
export function clusterProblems(config: CommerceConfig): string[] {
  if (config.COMMERCE_PROCESSES === 1) return [];
  const problems: string[] = [];
  if (!config.DATABASE_URL) problems.push('COMMERCE_PROCESSES: more than 1 needs DATABASE_URL (the embedded database belongs to one process)');
  if (!config.REDIS_URL) problems.push('COMMERCE_PROCESSES: more than 1 needs REDIS_URL (carts in one process\'s memory are not seen by the others)');
  return problems;
}

/**
 * Runs in the primary: starts the first worker alone (it migrates and loads demo data), the others
 * once it listens; replaces a worker that dies; SIGTERM or SIGINT stops every worker, each shutting
 * down as a single process would. Resolves once all workers listen.
 */
export async function runWorkers(config: CommerceConfig, logger: Logger): Promise<void> {
  const problems = clusterProblems(config);
  if (problems.length) throw new ConfigError(problems);
  let stopping = false;
  const fork = () =>
    new Promise<Worker>((resolve, reject) => {
      const worker = cluster.fork();
      let listened = false;
      worker.once('listening', () => {
        listened = true;
        resolve(worker);
      });
      worker.once('exit', (code, signal) => {
        // One that never listened failed to start (configuration, database): starting another would loop.
        if (!listened) return reject(new Error(`app process ${worker.process.pid} exited before listening (${signal ?? code})`));
        if (stopping) return;
        logger.error({ pid: worker.process.pid, code, signal }, 'app process died; starting another');
        void fork().catch((error: unknown) => logger.error({ err: error }, 'app process could not be replaced'));
      });
    });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping app processes');
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    cluster.on('exit', () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  try {
    await fork();
    await Promise.all(Array.from({ length: config.COMMERCE_PROCESSES - 1 }, fork));
  } catch (error) {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    throw error;
  }
}
