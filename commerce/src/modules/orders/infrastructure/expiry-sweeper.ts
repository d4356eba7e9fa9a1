import type { Logger } from '@shop/platform';

export interface Sweeper {
  start(): void;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/** Runs `sweep` every `intervalMs`, never two at once; a failing sweep is logged and tried again next time. */
export function createSweeper(sweep: () => Promise<number>, intervalMs: number, logger: Logger): Sweeper {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;
  const tick = () => {
    running = sweep()
      .then((n) => {
        if (n > 0) logger.info({ cancelled: n }, 'unpaid orders expired');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'order expiry sweep failed'))
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  return {
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(tick, intervalMs);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
