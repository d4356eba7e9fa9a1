import { z } from 'zod';

const status = z.enum(['pending', 'processing', 'done', 'dead']);

export const deliverySchema = z.object({
  id: z.int(),
  eventId: z.uuid(),
  eventType: z.string(),
  subscriber: z.string(),
  status,
  attempts: z.int(),
  nextAttemptAt: z.string(),
  lockedBy: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
  payload: z.unknown(),
  correlationId: z.string().nullable(),
});

export const deliveryQuery = z.object({
  status: status.optional(),
  subscriber: z.string().max(100).optional(),
  eventType: z.string().max(200).optional(),
  eventId: z.uuid().optional(),
  beforeId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const deadLetterQuery = deliveryQuery.omit({ status: true });

export const deliveryList = z.object({ deliveries: z.array(deliverySchema) });

export const statsResponse = z.object({
  subscribers: z.array(
    z.object({
      subscriber: z.string(),
      pending: z.int(),
      processing: z.int(),
      done: z.int(),
      dead: z.int(),
      oldestPendingAgeSeconds: z.number(),
    }),
  ),
});

export const deliveryParams = z.object({ id: z.coerce.number().int().positive() });

export const replayManyBody = z.union([
  z.strictObject({ ids: z.array(z.int().positive()).min(1).max(500).describe('dead delivery ids') }),
  z.strictObject({
    all: z.literal(true).describe('every dead delivery of the subscriber / event type given (or all), up to limit'),
    subscriber: z.string().max(100).optional(),
    eventType: z.string().max(200).optional(),
    limit: z.int().min(1).max(500).default(100),
  }),
]);

export const replayManyResponse = z.object({
  replayed: z.array(deliverySchema),
  skipped: z.array(z.object({ id: z.int(), reason: z.enum(['NOT_FOUND', 'NOT_DEAD']) })),
});
