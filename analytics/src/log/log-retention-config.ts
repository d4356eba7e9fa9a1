import { z } from 'zod';

const message = 'must be a positive integer (hours)';

/**
 * The log retention variable, for every process that opens the log (the analytics app,
 * processes/speed.ts, processes/archiver.ts): spread into the process's config schema. Unset: kept forever.
 */
export const logRetentionEnv = {
  ANALYTICS_LOG_RETENTION_HOURS: z.coerce.number({ message }).int({ message }).positive({ message }).optional(),
};
