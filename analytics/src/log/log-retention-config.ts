import { z } from 'zod';

const message = 'must be a positive integer (hours)';

/**
 * The log retention variable, for every process that opens the log (the analytics app,
 * speed/main.ts, archive/main.ts): spread into the process's config schema. Unset: kept forever.
 */
export const logRetentionEnv = {
  ANALYTICS_LOG_RETENTION_HOURS: z.coerce.number({ message }).int({ message }).positive({ message }).optional().describe('Events older than this leave the log; unset: kept forever. Must exceed the longest archiver outage to survive and the span a speed replay rebuilds (see below); give every process the same value.'),
};
