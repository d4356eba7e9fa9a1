import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { eventLogContract } from './event-log.contract.ts';
import { createKafkaLog } from './kafka-log.adapter.ts';

// The one allowed skip: no Kafka broker runs on this machine. Set KAFKA_BROKERS=host:9092[,host2:9092] to run it.
const brokers = process.env.KAFKA_BROKERS?.split(',').filter(Boolean) ?? [];

eventLogContract(
  'Kafka',
  async () => {
    const topic = `test-log-${randomUUID()}`;
    return {
      open: () => createKafkaLog({ brokers, topic, partitions: 4, clientId: 'event-log-contract' }),
      cleanup: async () => {
        const admin = new Kafka({ clientId: 'event-log-contract', brokers, logLevel: logLevel.NOTHING }).admin();
        await admin.connect();
        await admin.deleteTopics({ topics: [topic] }).catch(() => {});
        await admin.disconnect();
      },
    };
  },
  brokers.length > 0 ? undefined : 'KAFKA_BROKERS is not set, no Kafka broker on this machine',
);
