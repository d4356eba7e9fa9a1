import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, HttpError } from '@shop/platform';
import { funnelReport, goalReport, retentionReport, type DuckDbEngine, type EventCondition, type LakeStore } from '../batch/index.ts';
import { parseFilters, RAW_DIMENSION_NAMES, rawDimension } from './combined-filter.ts';
import { filterList } from './query-params.ts';
import { parseBound } from '../calendar/index.ts';
import { goalInput, MAX_GOALS, type Goal, type GoalStore } from '../goals/index.ts';
import { exclusiveConnection } from './duckdb-queue.ts';
import { requireTenant, type QueryTenant, type ReadKeyResolver } from './read-key.ts';

export interface ProductRoutesOptions {
  tenants: ReadKeyResolver;
  goals: GoalStore;
  /** The raw store the archiver writes: goals, funnels and retention are counted from its events. */
  lake: LakeStore;
  duckdb: DuckDbEngine;
  now?: () => number;
  /** Told after a tenant's goals were added or deleted here: the speed layer's goal cache reads them again. */
  onGoalsChanged?: (tenantId: string) => Promise<void>;
}

/** Raw scans are bounded: a quarter of a year at most per question. */
const MAX_RANGE_DAYS = 93;
const DAY = 86_400_000;

const range = z.object({
  from: z.string().max(40).describe('ISO 8601 instant or local date in the tenant zone'),
  to: z.string().max(40).optional().describe('default: now'),
});
const filtered = z.object({
  filter: filterList
    .optional()
    .describe(
      'Only visitors with an event in the range on which each dimension has its value (retention: on their first event in the range), as dimension:value, e.g. context.campaign.source:google; repeat for several (all must hold)',
    ),
});
const condition = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('page'), path: z.string().min(1).max(300).startsWith('/') }).strict(),
  z
    .object({
      kind: z.literal('event'),
      event: z.string().min(1).max(200),
      properties: z.record(z.string().regex(/^[\w$-]{1,64}$/), z.union([z.string().max(200), z.number(), z.boolean()])).optional(),
    })
    .strict(),
]);
const freshness = z.object({ source: z.literal('raw events'), through: z.string().nullable(), files: z.number() });
const goalSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['event', 'page']),
  event: z.string().optional(),
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  path: z.string().optional(),
  createdAt: z.string(),
});

function bounds(query: { from: string; to?: string | undefined }, tenant: QueryTenant, now: number, filter: readonly string[] | undefined) {
  const from = parseBound(query.from, tenant.timeZone);
  if (from === null) throw badRequest('from: must be an ISO 8601 instant or a local date / date-time', { field: 'from' });
  const to = query.to === undefined ? now : parseBound(query.to, tenant.timeZone);
  if (to === null) throw badRequest('to: must be an ISO 8601 instant or a local date / date-time', { field: 'to' });
  if (from >= to) throw badRequest('from: must be before to', { field: 'from' });
  if (to - from > MAX_RANGE_DAYS * DAY) throw badRequest(`from: at most ${MAX_RANGE_DAYS} days per question`, { field: 'from' });
  const filters = parseFilters(filter, RAW_DIMENSION_NAMES, 'goals, funnels and retention').map((f) => ({ dimension: rawDimension(f.dimension)!, value: f.value }));
  return { tenantId: tenant.id, from, to, filters };
}

const publicGoal = ({ tenantId: _tenant, ...goal }: Goal) => goal;
const toCondition = (goal: Goal): { id: string } & EventCondition =>
  goal.kind === 'page' ? { id: goal.id, kind: 'page', path: goal.path! } : { id: goal.id, kind: 'event', event: goal.event!, ...(goal.properties ? { properties: goal.properties } : {}) };

/**
 * Goals (managed with the tenant's read key), the goal report, funnels and retention cohorts.
 * Each answer is exact, counted from the raw events the archiver has written, and says how far
 * they reach (`freshness.through`: the last receipt read), so today is as fresh as the last
 * archiver flush. `filter=dimension:value` (as `/v1/query` takes it) keeps the matching visitors.
 *
 * @example
 * await registerProductRoutes(app, { tenants, goals, lake: objectStore, duckdb });
 * // POST /v1/funnels {"from":"2026-03-01","steps":[{"kind":"page","path":"/"},{"kind":"event","event":"Signed Up"}],"windowMinutes":60}
 */
export async function registerProductRoutes(app: FastifyInstance, options: ProductRoutesOptions): Promise<void> {
  const { tenants, goals } = options;
  const now = options.now ?? Date.now;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const exclusive = exclusiveConnection(app, options.duckdb);
  const tags = ['product analytics'];
  // The change is stored: a failed cache refresh only delays counting until the periodic one.
  const changed = async (request: FastifyRequest, tenantId: string) => {
    try {
      await options.onGoalsChanged?.(tenantId);
    } catch (error) {
      request.log.warn({ err: error, tenantId }, 'refreshing the goal cache failed');
    }
  };

  api.get('/v1/goals', { schema: { summary: "The read key's tenant's goals", tags, response: { 200: z.object({ goals: z.array(goalSchema) }) } } }, async (request) => {
    const tenant = await requireTenant(request, tenants);
    return { goals: (await goals.list(tenant.id)).map(publicGoal) };
  });

  api.post('/v1/goals', { schema: { summary: 'Define a goal: a track event (with property values) or a page path pattern', tags, body: goalInput, response: { 201: goalSchema } } }, async (request, reply) => {
    const tenant = await requireTenant(request, tenants);
    const goal: Goal = { ...request.body, id: randomUUID(), tenantId: tenant.id, createdAt: new Date(now()).toISOString() };
    if (!(await goals.add(goal, MAX_GOALS))) throw new HttpError(409, 'GOALS.LIMIT', `A tenant keeps at most ${MAX_GOALS} goals; delete one first`);
    await changed(request, tenant.id);
    return reply.code(201).send(publicGoal(goal));
  });

  api.delete('/v1/goals/:id', { schema: { summary: 'Delete a goal', tags, params: z.object({ id: z.string().uuid() }) } }, async (request, reply) => {
    const tenant = await requireTenant(request, tenants);
    // Another tenant's goal id is simply not among this tenant's goals.
    if (!(await goals.remove(tenant.id, request.params.id))) throw new HttpError(404, 'GOALS.NOT_FOUND', `No goal ${request.params.id}`);
    await changed(request, tenant.id);
    return reply.code(204).send();
  });

  api.get(
    '/v1/goals/report',
    {
      schema: {
        summary: 'Per goal: conversions, converting visitors, conversion rate and revenue (minor units), exact from the raw events',
        tags,
        querystring: range.merge(filtered),
        response: {
          200: z.object({
            goals: z.array(z.object({ goal: goalSchema, conversions: z.number(), visitors: z.number(), rate: z.number(), revenue: z.number() })),
            freshness,
          }),
        },
      },
    },
    async (request) => {
      const tenant = await requireTenant(request, tenants);
      const span = bounds(request.query, tenant, now(), request.query.filter);
      const defined = await goals.list(tenant.id);
      const { result, freshness: fresh } = await exclusive((c) => goalReport(c, options.lake, span, defined.map(toCondition)));
      return { goals: defined.map((goal, i) => ({ goal: publicGoal(goal), ...result[i]! })), freshness: fresh };
    },
  );

  api.post(
    '/v1/funnels',
    {
      schema: {
        summary: 'Visitors through ordered steps within a window: counts and drop-off per step, exact from the raw events',
        tags,
        querystring: filtered,
        body: range.extend({
          steps: z.array(condition).min(2).max(8),
          windowMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60).describe('from entering the first step to reaching the last'),
        }),
        response: { 200: z.object({ steps: z.array(z.object({ visitors: z.number(), dropOff: z.number(), conversion: z.number() })), windowMinutes: z.number(), freshness }) },
      },
    },
    async (request) => {
      const tenant = await requireTenant(request, tenants);
      const span = bounds(request.body, tenant, now(), request.query.filter);
      const { steps, windowMinutes } = request.body;
      const { result, freshness: fresh } = await exclusive((c) => funnelReport(c, options.lake, span, steps, windowMinutes * 60_000));
      return { steps: result, windowMinutes, freshness: fresh };
    },
  );

  api.get(
    '/v1/retention',
    {
      schema: {
        summary: 'Cohorts of first-seen visitors per UTC day or ISO week and how many return in each later one, exact from the raw events',
        tags,
        querystring: range.merge(filtered).extend({ period: z.enum(['day', 'week']).default('week') }),
        response: { 200: z.object({ period: z.enum(['day', 'week']), cohorts: z.array(z.object({ start: z.string(), size: z.number(), returning: z.array(z.number()) })), freshness }) },
      },
    },
    async (request) => {
      const tenant = await requireTenant(request, tenants);
      const span = bounds(request.query, tenant, now(), request.query.filter);
      const { result, freshness: fresh } = await exclusive((c) => retentionReport(c, options.lake, span, request.query.period));
      return { period: request.query.period, cohorts: result, freshness: fresh };
    },
  );
}
