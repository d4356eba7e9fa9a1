import { z } from 'zod';

const name = z.string().max(80).regex(/^[a-z][a-z_.]*$/, 'must be lower-case letters, dots and underscores');

export const auditQuery = z.object({
  actor: z.string().min(1).max(100).regex(/^[\w-]+$/, 'must be a user id').optional().describe('user id of who did it'),
  action: name.optional().describe('an action (`product.update`), or a prefix ending in a dot (`product.`)'),
  subjectType: name.optional().describe('`product`, `variant`, `order`...'),
  subjectId: z.string().min(1).max(100).regex(/^[\w-]+$/, 'must be an id').optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('entries at or after (ISO 8601)'),
  to: z.iso.datetime({ offset: true }).optional().describe('entries before (ISO 8601)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(200).regex(/^[\w-]+$/, 'must be a nextCursor value').optional().describe('nextCursor of the previous page'),
});

export const auditEntrySchema = z.object({
  id: z.uuid(),
  actor: z.object({ id: z.string(), role: z.string(), email: z.string().nullable() }),
  action: z.string(),
  subject: z.object({ type: z.string(), id: z.string() }),
  summary: z.string(),
  before: z.unknown().describe('the subject before the action; null when it was created'),
  after: z.unknown().describe('the subject after the action; null when it was deleted'),
  createdAt: z.string().describe('ISO 8601'),
});
export const auditPageSchema = z.object({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() });
