import type { EventLog } from './event-log.ts';
import { createFileLog } from './file-log.adapter.ts';
import { createKafkaLog } from './kafka-log.adapter.ts';
import { createNatsLog } from './nats-log.adapter.ts';

/** Every process of a deployment must use the same count: it decides which partition a tenant is on. */
export const DEFAULT_PARTITIONS = 8;

interface Common {
  partitions?: number;
  /**
   * Records older than this are deleted (file segments, JetStream `max_age`, Kafka `retention.ms`).
   * Absent: kept forever (Kafka: the broker's default). Give every process the same value: the
   * speed layer replays from the log, and NATS streams take it from whichever process opens them.
   */
  retentionHours?: number;
}

export type EventLogConfig =
  | (Common & {
      kind: 'file';
      dir: string;
      /** `'reader'` for a consumer process next to the writer process. Default `'writer'`. */
      mode?: 'writer' | 'reader';
      groupCommitMs?: number;
      segmentBytes?: number;
    })
  | (Common & { kind: 'nats'; url: string | string[]; streamPrefix?: string; replicas?: number })
  | (Common & { kind: 'kafka'; brokers: string[]; topic?: string; clientId?: string; replicationFactor?: number });

/**
 * Opens the configured event log adapter.
 *
 * @example
 * const log = await openEventLog(env.NATS_URL ? { kind: 'nats', url: env.NATS_URL } : { kind: 'file', dir: './data/events' });
 */
export function openEventLog(config: EventLogConfig): Promise<EventLog> {
  const partitions = config.partitions ?? DEFAULT_PARTITIONS;
  switch (config.kind) {
    case 'file':
      return createFileLog({ ...config, partitions });
    case 'nats':
      return createNatsLog({
        servers: config.url,
        streamPrefix: config.streamPrefix ?? 'ANALYTICS_EVENTS',
        partitions,
        replicas: config.replicas,
        retentionHours: config.retentionHours,
      });
    case 'kafka':
      return createKafkaLog({
        brokers: config.brokers,
        topic: config.topic ?? 'analytics-events',
        partitions,
        clientId: config.clientId ?? 'shop-analytics',
        replicationFactor: config.replicationFactor,
        retentionHours: config.retentionHours,
      });
  }
}
