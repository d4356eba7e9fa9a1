import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import { ZodError } from 'zod';
import type { Logger } from '@shop/platform';
import type { Database } from '../database/index.ts';
import { eventEnvelope } from './domain-event.ts';
import type { EventBus } from './event-bus.ts';
import { connectNats, ensureEventStream, eventSubject } from './nats-stream.ts';

export interface NatsInboundOptions {
  bus: EventBus;
  /** The database the bus writes to; each message is stored in its own transaction. */
  db: Database;
  /** A cluster's nodes as a list or comma-separated. */
  url: string | readonly string[];
  /** Replicas of the stream when this side creates it. Default 1. Durable consumers take the stream's. */
  replicas?: number;
  /** The event types to take in, e.g. `['payments.payment_completed.v1']`. */
  eventTypes: readonly string[];
  /** Names the receiving service's durable consumers (one per event type), shared by its instances. */
  durable: string;
  stream?: string;
  subjectPrefix?: string;
  logger: Logger;
}

export interface NatsInbound {
  start(): Promise<void>;
  /** Stops consuming after the message in hand is stored and acknowledged. */
  stop(): Promise<void>;
}

/**
 * Consumes events from JetStream into the local outbox, from where local subscribers get them
 * like any other event. Storing is idempotent by event id, so a redelivered message (ack lost,
 * consumer restarted) is stored once. Acknowledged only after the commit: a crash before it
 * means redelivery, never loss.
 */
export function createNatsInbound(options: NatsInboundOptions): NatsInbound {
  const stream = options.stream ?? 'SHOP_EVENTS';
  const prefix = options.subjectPrefix ?? 'shop.events';
  const log = options.logger.child({ inbound: options.durable });
  let connection: NatsConnection | undefined;
  const running: { messages: ConsumerMessages; loop: Promise<void> }[] = [];

  async function take(message: JsMsg): Promise<void> {
    try {
      const event = eventEnvelope.parse(message.json());
      const stored = await options.db.transaction((tx) => options.bus.publish(tx, event));
      message.ack();
      log.debug({ eventId: event.id, type: event.type, duplicate: stored === 0 }, 'event received from NATS');
    } catch (error) {
      if (error instanceof ZodError || error instanceof SyntaxError) {
        // Not an event: retrying cannot fix it, and it must not block the ones behind it.
        log.error({ err: error, subject: message.subject, seq: message.seq }, 'dropping an invalid message from NATS');
        message.term('invalid event');
      } else {
        log.warn({ err: error, subject: message.subject }, 'could not store an event from NATS; redelivery in 1 s');
        message.nak(1_000);
      }
    }
  }

  return {
    async start() {
      connection = await connectNats(options.url, `${options.durable}-inbound`);
      const jsm = await jetstreamManager(connection);
      await ensureEventStream(jsm, stream, prefix, options.replicas);
      const js = jetstream(connection);
      // One durable per event type with a single `filter_subject`: servers before 2.10 cannot
      // filter one consumer on several subjects.
      for (const type of options.eventTypes) {
        const durable = `${options.durable}__${type.replaceAll('.', '_')}`;
        const existing = await jsm.consumers.info(stream, durable).catch(() => undefined);
        if (!existing) {
          await jsm.consumers.add(stream, {
            durable_name: durable,
            ack_policy: AckPolicy.Explicit,
            deliver_policy: DeliverPolicy.All,
            ack_wait: nanos(30_000),
            filter_subject: eventSubject(prefix, type),
          });
        }
        // Pulls that expire every 2 s (heartbeats every second) notice a pull lost with a node, or
        // a consumer that moved to a new leader, within seconds; with the default 30 s the inbound
        // stalled over half a minute after a node loss. The cost: one empty pull per 2 s when idle.
        const messages = await (await js.consumers.get(stream, durable)).consume({ max_messages: 100, expires: 2_000 });
        // One message at a time keeps the stream's order per type and the transaction count low.
        const loop = (async () => {
          for await (const message of messages) await take(message);
        })();
        running.push({ messages, loop });
      }
      log.info({ stream, eventTypes: options.eventTypes }, 'NATS inbound started');
    },
    async stop() {
      for (const { messages } of running) await messages.close();
      await Promise.all(running.map((r) => r.loop));
      running.length = 0;
      await connection?.drain();
      connection = undefined;
    },
  };
}
