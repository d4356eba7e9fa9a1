import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@shop/platform';

/** The variable a worker finds its place in: 0 runs the in-process consumers (see apiWorkerConfig). */
export const WORKER_INDEX_VARIABLE = 'ANALYTICS_API_WORKER_INDEX';

/** This process's worker index, or undefined when it is not a cluster worker. */
export function apiWorkerIndex(): number | undefined {
  if (!cluster.isWorker) return undefined;
  return Number(process.env[WORKER_INDEX_VARIABLE] ?? 0);
}

/**
 * The primary of ANALYTICS_API_WORKERS processes sharing one port (node:cluster: the primary
 * accepts connections and hands them round-robin to the workers, each a full analytics app).
 * A worker that dies is started again under its index after a second, so the consumers of
 * worker 0 come back; SIGTERM or SIGINT stops every worker the way a single process stops
 * (in-flight requests finish, then the consumers and engines close), then the primary.
 */
export function runApiWorkers(options: { workers: number; logger: Logger; onListening?: (address: { port: number }) => void }): void {
  const { workers, logger } = options;
  let stopping = false;
  const byIndex = new Map<number, Worker>();
  const listening = new Set<number>();

  const fork = (index: number) => {
    const worker = cluster.fork({ [WORKER_INDEX_VARIABLE]: String(index) });
    byIndex.set(index, worker);
    worker.once('listening', (address) => {
      const first = listening.size < workers;
      listening.add(index);
      if (first && listening.size === workers) options.onListening?.({ port: address.port });
    });
    worker.once('exit', (code, signal) => {
      if (byIndex.get(index) === worker) byIndex.delete(index);
      if (stopping) {
        if (byIndex.size === 0) process.exit(0);
        return;
      }
      logger.error({ worker: index, code, signal }, 'API worker exited; starting it again');
      setTimeout(() => !stopping && fork(index), 1000).unref();
    });
  };

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: byIndex.size }, 'stopping API workers');
    if (byIndex.size === 0) process.exit(0);
    for (const worker of byIndex.values()) worker.process.kill('SIGTERM');
    // A worker's own shutdown gives up after 15 s; this bounds the primary's wait the same way.
    setTimeout(() => process.exit(1), 20_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  for (let index = 0; index < workers; index++) fork(index);
}
