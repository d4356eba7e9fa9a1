import { z } from 'zod';
import type { EventType } from '../contracts/index.ts';

/**
 * The Segment Tracking API's message shapes, as the official libraries send them.
 * Objects are loose: libraries add fields we do not use (`_metadata`, `integrations`,
 * `version`, `channel`...) and must not be refused for it. Transform-free, so the same
 * schemas document the routes in OpenAPI.
 */
const id = z.union([z.string().min(1).max(512), z.number().finite()]);
export const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-01-31T12:00:00.000Z' });
const json = z.record(z.string(), z.unknown());

// analytics.js sends `userId: null` for every anonymous visitor (and `name`/`category: null`
// for a bare `page()`): null is "absent", as on Segment's API.
const common = {
  messageId: z.string().min(1).max(200).optional(),
  userId: id.nullish(),
  anonymousId: id.nullish(),
  timestamp: isoTime.optional(),
  originalTimestamp: isoTime.optional(),
  sentAt: isoTime.optional(),
  context: json.optional(),
  writeKey: z.string().max(200).optional(),
};

const someone = (m: { userId?: unknown; anonymousId?: unknown }) => (m.userId ?? m.anonymousId) != null;
const needsSomeone = { message: 'userId or anonymousId is required', path: ['userId'] };

export const trackMessage = z
  .looseObject({ ...common, type: z.literal('track').optional(), event: z.string().min(1).max(200), properties: json.optional() })
  .refine(someone, needsSomeone);
export const pageMessage = z
  .looseObject({
    ...common,
    type: z.literal('page').optional(),
    name: z.string().max(200).nullish(),
    category: z.string().max(200).nullish(),
    properties: json.optional(),
  })
  .refine(someone, needsSomeone);
export const screenMessage = z
  .looseObject({
    ...common,
    type: z.literal('screen').optional(),
    name: z.string().max(200).nullish(),
    category: z.string().max(200).nullish(),
    properties: json.optional(),
  })
  .refine(someone, needsSomeone);
export const identifyMessage = z
  .looseObject({ ...common, type: z.literal('identify').optional(), traits: json.optional() })
  .refine(someone, needsSomeone);
export const groupMessage = z
  .looseObject({ ...common, type: z.literal('group').optional(), groupId: id, traits: json.optional() })
  .refine(someone, needsSomeone);
export const aliasMessage = z.looseObject({ ...common, type: z.literal('alias').optional(), userId: id, previousId: id });

export const messageSchemas = {
  track: trackMessage,
  page: pageMessage,
  screen: screenMessage,
  identify: identifyMessage,
  group: groupMessage,
  alias: aliasMessage,
} as const satisfies Record<EventType, z.ZodType>;

export type SegmentMessage = z.output<(typeof messageSchemas)[EventType]> & {
  type?: EventType;
  event?: string;
  name?: string | null;
  category?: string | null;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  groupId?: string | number;
  previousId?: string | number;
};

export const EVENT_TYPES = Object.keys(messageSchemas) as EventType[];

/**
 * `/v1/batch`: each element is checked on its own (by `type`), so one bad event is
 * rejected by index instead of failing its neighbours.
 */
export const batchBody = z.looseObject({
  batch: z.array(z.looseObject({ type: z.string().max(20).optional().describe(`one of ${EVENT_TYPES.join(', ')}`) })).min(1, {
    message: 'batch must hold at least one event',
  }),
  sentAt: isoTime.optional(),
  context: json.optional(),
  writeKey: z.string().max(200).optional(),
});
