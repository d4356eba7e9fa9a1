import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * What travels through the outbox, over NATS and into handlers. Plain JSON so it can
 * cross a process boundary unchanged; `occurredAt` is an ISO-8601 string for the same reason.
 */
export interface DomainEvent<Type extends string = string, Payload = unknown> {
  id: string;
  type: Type;
  payload: Payload;
  occurredAt: string;
  /** The conversation this event belongs to (e.g. one checkout), kept across every hop. */
  correlationId?: string;
  /** The event whose handling produced this one. */
  causationId?: string;
}

export interface EventMeta {
  id?: string;
  occurredAt?: Date | string;
  correlationId?: string;
  causationId?: string;
  /** Shorthand: sets causation to this event and carries its correlation on. */
  causedBy?: DomainEvent;
}

/** Versioned type names make a breaking payload change a new type, never a silent reinterpretation. */
const EVENT_TYPE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.v[1-9][0-9]*$/;

/** The envelope without knowledge of the payload; used where the type is not known (NATS inbound). */
export const eventEnvelope = z.object({
  id: z.uuid(),
  type: z.string().regex(EVENT_TYPE),
  payload: z.unknown(),
  occurredAt: z.iso.datetime({ offset: true }),
  correlationId: z.string().min(1).max(200).optional(),
  causationId: z.string().min(1).max(200).optional(),
});

export interface EventDefinition<Type extends string = string, Payload = unknown, Input = Payload> {
  readonly type: Type;
  readonly schema: z.ZodType<Payload, Input>;
  /** A new event with a fresh id; the payload is validated now, not when a handler trips on it. */
  create(payload: Input, meta?: EventMeta): DomainEvent<Type, Payload>;
  /** Validates an event read back from storage or the wire; throws a ZodError when it does not match. */
  parse(raw: unknown): DomainEvent<Type, Payload>;
}

/** The event type a definition produces, e.g. `type OrderCreated = EventOf<typeof OrderCreated>`. */
export type EventOf<D> = D extends EventDefinition<infer T, infer P, infer _I> ? DomainEvent<T, P> : never;

/**
 * Declares an event type with its payload schema. Export it from the publishing module's `index.ts`.
 *
 * @example
 * export const OrderCreated = defineEvent('orders.order_created.v1', z.object({ orderId: z.uuid(), totalMinor: z.int() }));
 * await events.publish(tx, OrderCreated.create({ orderId, totalMinor }));
 */
export function defineEvent<const Type extends string, Schema extends z.ZodType>(
  type: Type,
  schema: Schema,
): EventDefinition<Type, z.output<Schema>, z.input<Schema>> {
  if (!EVENT_TYPE.test(type)) throw new Error(`event type ${type} must look like module.something_happened.v1`);
  const envelope = eventEnvelope.extend({ type: z.literal(type), payload: schema });
  return {
    type,
    schema: schema as z.ZodType<z.output<Schema>, z.input<Schema>>,
    create(payload, meta = {}) {
      const occurredAt = meta.occurredAt ?? new Date();
      const event: DomainEvent<Type, z.output<Schema>> = {
        id: meta.id ?? randomUUID(),
        type,
        payload: schema.parse(payload),
        occurredAt: typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString(),
      };
      const correlationId = meta.correlationId ?? meta.causedBy?.correlationId ?? meta.causedBy?.id;
      const causationId = meta.causationId ?? meta.causedBy?.id;
      if (correlationId) event.correlationId = correlationId;
      if (causationId) event.causationId = causationId;
      return event;
    },
    parse(raw) {
      return envelope.parse(raw) as DomainEvent<Type, z.output<Schema>>;
    },
  };
}
