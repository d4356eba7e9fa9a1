import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import type { Logger } from '@shop/platform';
import { defineEvent } from './domain-event.ts';
import type { EventBus } from './event-bus.ts';
import { connectNats, ensureEventStream, eventSubject } from './nats-stream.ts';

/** How long one forward waits for JetStream's ack before the bus counts it failed. */
const PUBLISH_ACK_TIMEOUT_MS = 2_000;

export interface NatsRelayOptions {
  bus: EventBus;
  /** e.g. `nats://127.0.0.1:4222`; a cluster's nodes as a list or comma-separated. */
  url: string | readonly string[];
  /** Replicas of the stream when this side creates it. Default 1. */
  replicas?: number;
  /** The committed event types to forward, e.g. `['orders.order_created.v1']`. */
  eventTypes: readonly string[];
  stream?: string;
  subjectPrefix?: string;
  /** The bus subscriber name, which is how the relay's deliveries show up in the admin. */
  subscriber?: string;
  logger: Logger;
}

export interface NatsRelay {
  /** Connects and ensures the stream. Start it before the bus, stop it after. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Forwards committed events of chosen types from the outbox to JetStream. It is an ordinary
 * subscriber of the bus, so retries, dead letters and replay apply to it; the message id is
 * the event id, so a retried forward is dropped by JetStream's deduplication. A publish whose
 * ack is lost with a node (or refused while the stream elects a leader) fails the delivery;
 * the bus retries it, to whichever node the connection has moved to.
 * Call it before `bus.start()`, because it subscribes.
 */
export function createNatsRelay(options: NatsRelayOptions): NatsRelay {
  const stream = options.stream ?? 'SHOP_EVENTS';
  const prefix = options.subjectPrefix ?? 'shop.events';
  const subscriber = options.subscriber ?? 'nats-relay';
  let connection: NatsConnection | undefined;
  let js: JetStreamClient | undefined;

  for (const type of options.eventTypes) {
    // The relay carries payloads it does not interpret; the receiving side validates them.
    options.bus.subscribe(subscriber, defineEvent(type, z.unknown()), async (event) => {
      if (!js) throw new Error('NATS relay is not connected');
      // A short ack wait: a publish lost with a node fails fast and the bus retries it (same
      // msgID, so one that was stored after all is dropped by the stream).
      await js.publish(eventSubject(prefix, event.type), JSON.stringify(event), { msgID: event.id, timeout: PUBLISH_ACK_TIMEOUT_MS });
    });
  }

  return {
    async start() {
      connection = await connectNats(options.url, `${subscriber}-relay`);
      await ensureEventStream(await jetstreamManager(connection), stream, prefix, options.replicas);
      js = jetstream(connection);
      options.logger.info({ stream, eventTypes: options.eventTypes }, 'NATS relay started');
    },
    async stop() {
      js = undefined;
      await connection?.drain();
      connection = undefined;
    },
  };
}
