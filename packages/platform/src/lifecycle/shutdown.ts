import type { Logger } from 'pino';

export interface Stoppable {
  name: string;
  stop: () => Promise<void>;
}

/**
 * Runs `steps` in order once SIGTERM or SIGINT arrives: callers list the HTTP server first
 * (Fastify's close waits for in-flight requests) and connections last. A second signal,
 * or a step hanging past `timeoutMs`, forces the exit.
 */
export function onShutdownSignal(logger: Logger, steps: () => Stoppable[], timeoutMs = 15_000): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    void runSteps(logger, steps()).then((ok) => process.exit(ok ? 0 : 1));
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}

export async function runSteps(logger: Logger, steps: Stoppable[]): Promise<boolean> {
  let ok = true;
  for (const step of steps) {
    try {
      await step.stop();
      logger.info({ step: step.name }, 'stopped');
    } catch (error) {
      ok = false;
      logger.error({ err: error, step: step.name }, 'stop failed');
    }
  }
  return ok;
}
