import type { JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';

/**
 * How long the stream remembers `Nats-Msg-Id`s: a relay publish retried within it (its ack was
 * lost with a node) is stored once. Older retries are stored again and the receiving inbox,
 * idempotent by event id, drops them.
 */
export const DUPLICATE_WINDOW_MS = 120_000;

/**
 * Connects to every server given (a cluster's nodes), reconnecting forever: the relay and the
 * inbound consumers must outlive any one node.
 */
export function connectNats(url: string | readonly string[], name: string): Promise<NatsConnection> {
  const servers = (typeof url === 'string' ? url.split(',') : [...url]).map((s) => s.trim()).filter(Boolean);
  return connect({ servers, name, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
}

/** Where an event type lives in JetStream: `<prefix>.<module>.<event>.v<n>`, so `<prefix>.payments.>` selects a module. */
export function eventSubject(prefix: string, eventType: string): string {
  return `${prefix}.${eventType}`;
}

/**
 * Makes sure the stream exists and captures `<prefix>.>`; both sides call it so neither
 * process has to start first. JetStream deduplicates on `Nats-Msg-Id` within the stream's
 * duplicate window (`DUPLICATE_WINDOW_MS`); the inbox covers anything older. `replicas` applies
 * when the stream is created (3 on a three-node cluster); an existing stream keeps its own.
 */
export async function ensureEventStream(jsm: JetStreamManager, stream: string, prefix: string, replicas = 1): Promise<void> {
  const subject = `${prefix}.>`;
  try {
    const info = await jsm.streams.info(stream);
    if (!info.config.subjects?.includes(subject)) {
      await jsm.streams.update(stream, { subjects: [...(info.config.subjects ?? []), subject] });
    }
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    await jsm.streams.add({ name: stream, subjects: [subject], num_replicas: replicas, duplicate_window: nanos(DUPLICATE_WINDOW_MS) });
  }
}

function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && /stream not found/i.test(error.message);
}
