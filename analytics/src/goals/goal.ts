import { z } from 'zod';

/**
 * A tenant's goal: a track event (by name, optionally with property values) or a page view whose
 * path matches a pattern (`*` for any run of characters). Conversions are counted from the raw
 * events, revenue from the converting events' `properties.revenue` in minor units.
 */
export const goalInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(['event', 'page']),
    event: z.string().min(1).max(200).optional().describe('kind=event: the track event name'),
    properties: z
      .record(z.string().regex(/^[\w$-]{1,64}$/, 'property names are letters, digits, _, $ or -'), z.union([z.string().max(200), z.number(), z.boolean()]))
      .refine((p) => Object.keys(p).length <= 10, 'at most 10 properties')
      .optional()
      .describe('kind=event: property values the event must carry'),
    path: z.string().min(1).max(300).startsWith('/').optional().describe('kind=page: path pattern, * matches anything, e.g. /blog/*'),
  })
  .strict()
  .superRefine((goal, ctx) => {
    if (goal.kind === 'event' && !goal.event) ctx.addIssue({ code: 'custom', path: ['event'], message: 'an event goal names its event' });
    if (goal.kind === 'event' && goal.path) ctx.addIssue({ code: 'custom', path: ['path'], message: 'an event goal has no path; use kind=page' });
    if (goal.kind === 'page' && !goal.path) ctx.addIssue({ code: 'custom', path: ['path'], message: 'a page goal names its path pattern' });
    if (goal.kind === 'page' && (goal.event || goal.properties)) ctx.addIssue({ code: 'custom', path: ['event'], message: 'a page goal has no event or properties' });
  });
export type GoalInput = z.infer<typeof goalInput>;

export interface Goal extends GoalInput {
  id: string;
  tenantId: string;
  createdAt: string;
}

/** Goals a tenant may keep: each is one column of every goal report. */
export const MAX_GOALS = 50;
