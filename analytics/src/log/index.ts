/**
 * The analytics event log (Kafka in the seed): the `EventLog` port, its adapters and the
 * factory that picks one from configuration.
 *
 * Consumers keep their own positions and read with `read(partition, from)`. To share the work
 * between N processes of one role (speed layer, archiver), process i of N reads
 * `ownedPartitions(i, N, log.partitions)`; every adapter is read the same way. Records of one
 * tenant are always on `partitionFor(tenantId, partitions)`, so one process sees all of a
 * tenant's events, in order.
 */
export { partitionFor } from './event-log.ts';
export type { AppendRecord, EventLog, LogRecord } from './event-log.ts';
export { ownedPartitions } from './partition-ownership.ts';
export { openEventLog, DEFAULT_PARTITIONS } from './open-event-log.factory.ts';
export type { EventLogConfig } from './open-event-log.factory.ts';
export { createFileLog } from './file-log.adapter.ts';
export type { FileEventLog, FileLogOptions } from './file-log.adapter.ts';
export { EventLogLockedError } from './file-log.lock.ts';
export { EventLogCorruptError } from './file-partition.store.ts';
export { createNatsLog } from './nats-log.adapter.ts';
export type { NatsLogOptions } from './nats-log.adapter.ts';
export { createKafkaLog } from './kafka-log.adapter.ts';
export type { KafkaLogOptions } from './kafka-log.adapter.ts';
export { logConfigFromEnv, type LogEnv } from './log-config.ts';
export { logEnv } from './log-env.ts';
