import { pino, type Logger } from 'pino';

export type { Logger };

/** One JSON logger per process; `service` tells commerce and analytics lines apart in a shared stream. */
export function createLogger(service: string, level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}
