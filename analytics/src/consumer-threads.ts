import { Worker } from 'node:worker_threads';
import type { Logger } from '@shop/platform';
import type { AnalyticsConfig } from './config.ts';
import type { AggregateStore } from './contracts/index.ts';
import { serveAggregateStore } from './speed/index.ts';

/** What the app hands a consumer thread (`processes/consumer-thread.ts` is its entry). */
export interface ConsumerThreadData {
  role: 'speed' | 'archiver';
  /** The thread's name in /proc (`top -H`, the ingest benchmark's per-role CPU): at most 15 bytes. */
  name: string;
  config: AnalyticsConfig;
  /** The app logger's level (a test's silent logger stays silent in its threads). */
  logLevel: string;
  /** This thread's share of the partitions: partition p is read by member p % count. */
  members: { index: number; count: number };
  /** The owner's aggregate store retention (speed threads). */
  retention?: AggregateStore['retention'];
}

/** Messages the app sends a consumer thread. */
export type ToConsumerThread = { type: 'stop' } | { type: 'goals-changed'; tenantId: string; id: number } | { type: 'erasures-changed' };
/** Messages a consumer thread sends the app (besides the store channel's). */
export type FromConsumerThread = { type: 'started' } | { type: 'stopped' } | { type: 'failed'; message: string } | { type: 'goals-read'; id: number };

export interface ConsumerThread {
  /** Flushes and stops the consumer, closes what the thread opened, then ends the thread. */
  stop(): Promise<void>;
  tell(message: Extract<ToConsumerThread, { type: 'erasures-changed' }>): void;
  /**
   * Has the thread read the tenant's goals again (a speed thread: it counts the change from the
   * next event it folds on). Resolves once it has, at once while the thread is being restarted
   * (a new thread reads every goal when it starts), or after GOALS_ANSWER_MS: a thread that does
   * not answer catches up at its periodic read.
   */
  goalsChanged(tenantId: string): Promise<void>;
}

const entry = new URL('./processes/consumer-thread.ts', import.meta.url);
// Node 20 does not pass the main thread's module hooks (tsx's) to worker threads: the thread
// registers tsx itself, then loads its TypeScript entry.
const bootstrap = new URL(
  `data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(entry.href)});`)}`,
);
const STOP_TIMEOUT_MS = 15_000;
const GOALS_ANSWER_MS = 5_000;

/**
 * Starts a log consumer (speed layer or archiver) on a worker thread of this process and keeps it
 * running: a thread that fails or dies is started again after a second, and resumes from the
 * stored positions like a restarted process. A speed thread's flushes are applied to `store` here,
 * so the in-process views stay in this thread, where the queries read them. Resolves once the
 * thread has opened everything and started consuming.
 *
 * @example
 * const speed = await startConsumerThread({ role: 'speed', name: 'speed-0', config, members: { index: 0, count: 1 }, store, logger });
 */
export async function startConsumerThread(options: {
  role: ConsumerThreadData['role'];
  name: string;
  config: AnalyticsConfig;
  members: ConsumerThreadData['members'];
  store?: AggregateStore;
  logger: Logger;
}): Promise<ConsumerThread> {
  const { logger } = options;
  const data: ConsumerThreadData = {
    role: options.role,
    name: options.name,
    config: options.config,
    logLevel: logger.level,
    members: options.members,
    ...(options.store ? { retention: options.store.retention } : {}),
  };
  let stopping = false;
  let current: Worker;
  let running = false;
  let stopped: () => void = () => {};
  let asked = 0;
  const answers = new Map<number, () => void>();
  const answerAll = () => {
    for (const answer of [...answers.values()]) answer();
  };

  const spawn = () =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(bootstrap, { workerData: data, name: options.name });
      current = worker;
      running = true;
      const unserve = options.store ? serveAggregateStore(worker, options.store) : () => {};
      let started = false;
      worker.on('message', (message: FromConsumerThread) => {
        if (message.type === 'started') {
          started = true;
          resolve();
        } else if (message.type === 'stopped') {
          stopped();
          void worker.terminate();
        } else if (message.type === 'goals-read') {
          answers.get(message.id)?.();
        } else if (message.type === 'failed') {
          logger.error({ thread: options.name, error: message.message }, 'consumer thread failed');
          void worker.terminate();
        }
      });
      worker.on('error', (error) => logger.error({ err: error, thread: options.name }, 'consumer thread failed'));
      worker.once('exit', (code) => {
        running = false;
        unserve();
        answerAll();
        if (stopping) return stopped();
        if (!started) return reject(new Error(`consumer thread ${options.name} ended before it started (exit code ${code})`));
        logger.error({ thread: options.name, code }, 'consumer thread ended; starting it again');
        setTimeout(() => void (stopping ? undefined : spawn().catch((error: unknown) => logger.error({ err: error, thread: options.name }, 'restarting the consumer thread failed'))), 1000).unref();
      });
    });

  await spawn();
  return {
    tell: (message) => current.postMessage(message),
    goalsChanged(tenantId) {
      if (!running) return Promise.resolve();
      const id = ++asked;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(answer, GOALS_ANSWER_MS);
        timer.unref();
        function answer() {
          clearTimeout(timer);
          answers.delete(id);
          resolve();
        }
        answers.set(id, answer);
        current.postMessage({ type: 'goals-changed', tenantId, id } satisfies ToConsumerThread);
      });
    },
    async stop() {
      stopping = true;
      const done = new Promise<void>((resolve) => (stopped = resolve));
      const timer = setTimeout(() => void current.terminate(), STOP_TIMEOUT_MS);
      current.postMessage({ type: 'stop' } satisfies ToConsumerThread);
      await done;
      clearTimeout(timer);
    },
  };
}
