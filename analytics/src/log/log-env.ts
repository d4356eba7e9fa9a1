import { z } from 'zod';
import { env } from '@shop/platform';

const hours = 'must be a positive integer (hours)';

const kafkaBrokers = z
  .string()
  .transform((value) => value.split(',').map((b) => b.trim()).filter(Boolean))
  .refine((brokers) => brokers.length > 0 && brokers.every((b) => /^[\w.-]+:\d{1,5}$/.test(b)), {
    message: 'must be a comma-separated list of host:port',
  });

/**
 * The log variables, for every process that opens the log (the analytics app, processes/speed.ts,
 * processes/archiver.ts): spread into the process's config schema, so each process validates them
 * alike. Every process of a deployment must agree on the partitions (they decide which partition a
 * tenant is on) and on the stream prefix (it names the streams).
 */
export const logEnv = {
  NATS_URL: env.urlList(['nats:', 'tls:'], 'nats://').optional().describe('`nats://...` puts the event log on NATS JetStream; unset: a file log under `DATA_DIR/analytics/events`. For a cluster list every node, comma-separated, so the client fails over to a survivor.'),
  ANALYTICS_NATS_REPLICAS: env.replicas().describe('JetStream replicas of each log stream: 1 on a single server, 3 on a three-node cluster (an acknowledged event then survives the loss of one node). Given: applied to existing streams on open, so give every process the same; unset: new streams get 1, existing ones keep theirs.'),
  KAFKA_BROKERS: kafkaBrokers.optional().describe('`host:port,...` puts the event log on Kafka. No broker runs on the development machine: that adapter is tested only where one is reachable.'),
  ANALYTICS_LOG_PARTITIONS: env.positiveInt(8).describe('Partitions of the event log. Every process of a deployment must agree: it decides which partition a tenant is on.'),
  ANALYTICS_NATS_STREAM_PREFIX: z.string().regex(/^[\w-]{1,32}$/, { message: 'must be 1-32 letters, digits, _ or -' }).default('analytics').describe('Prefix of the JetStream stream names of the log; shared with the stand-alone speed layer and archiver.'),
  ANALYTICS_LOG_RETENTION_HOURS: z.coerce.number({ message: hours }).int({ message: hours }).positive({ message: hours }).optional().describe('Events older than this leave the log; unset: kept forever. Must exceed the longest archiver outage to survive and the span a speed replay rebuilds (see below); give every process the same value.'),
};
