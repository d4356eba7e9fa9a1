import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { eventLogContract } from '../support/event-log.contract.ts';
import { createKafkaLog } from '../../src/log/kafka-log.adapter.ts';

// The one allowed skip: no Kafka broker runs on this machine. Set KAFKA_BROKERS=host:9092[,host2:9092] to run it.
const brokers = process.env.KAFKA_BROKERS?.split(',').filter(Boolean) ?? [];

eventLogContract(
  'Kafka',
  async () => {
    const topic = `test-log-${randomUUID()}`;
    const withAdmin = async (task: (admin: Admin) => Promise<void>) => {
      const admin = new Kafka({ clientId: 'event-log-contract', brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        await task(admin);
      } finally {
        await admin.disconnect();
      }
    };
    return {
      open: () => createKafkaLog({ brokers, topic, partitions: 4, clientId: 'event-log-contract', retentionHours: 1 }),
      cleanup: () => withAdmin((admin) => admin.deleteTopics({ topics: [topic] }).catch(() => {})),
      // What retention.ms does to old segments: the low watermark moves up to the high one.
      ageOut: () =>
        withAdmin((admin) => admin.deleteTopicRecords({ topic, partitions: [0, 1, 2, 3].map((partition) => ({ partition, offset: '-1' })) })),
    };
  },
  brokers.length > 0 ? undefined : 'KAFKA_BROKERS is not set, no Kafka broker on this machine',
);
