import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest } from '@shop/platform';
import { requireTenant, type ReadKeyResolver } from './read-key.ts';
import { formatLocal, isTimeZone, parseBound } from '../calendar/index.ts';
import { RESOLUTION_MS } from '../contracts/index.ts';
import type { DriftStore } from '../serving/index.ts';

export interface ReconciliationRoutesOptions {
  drift: DriftStore;
  tenants: ReadKeyResolver;
  now?: () => number;
}

const DAY_MS = 24 * 3_600_000;
const MAX_RANGE_MS = 92 * DAY_MS;

const querystring = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  tz: z.string().max(64).refine(isTimeZone, { message: 'must be an IANA time zone, e.g. Europe/Paris' }).optional(),
  flagged: z.enum(['true', 'false']).optional(),
});

const record = z.object({
  metric: z.string(),
  kind: z.enum(['count', 'sum', 'unique', 'topk']),
  start: z.string(),
  end: z.string(),
  speed: z.number(),
  batch: z.number(),
  drift: z.number(),
  relativeDrift: z.number(),
  tolerance: z.number(),
  flagged: z.boolean(),
  checkedAt: z.string(),
});
const response = z.object({ from: z.string(), to: z.string(), timeZone: z.string(), flagged: z.number(), records: z.array(record) });

/**
 * `GET /v1/reconciliation?from=&to=&flagged=true`: the read key's tenant's drift records,
 * speed layer against batch views per metric and quarter hour (default: the last 24 hours).
 */
export async function registerReconciliationRoutes(app: FastifyInstance, options: ReconciliationRoutesOptions): Promise<void> {
  const now = options.now ?? Date.now;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/reconciliation',
    {
      schema: {
        summary: 'Drift between the speed layer and the batch views, per metric and quarter hour',
        tags: ['query'],
        querystring,
        response: { 200: response },
      },
    },
    async (request) => {
      const tenant = await requireTenant(request, options.tenants, { shared: true });
      const timeZone = request.query.tz ?? tenant.timeZone;
      const to = request.query.to === undefined ? now() : parseBound(request.query.to, timeZone);
      if (to === null) throw badRequest('to: must be an ISO 8601 instant or a local date / date-time', { field: 'to' });
      const from = request.query.from === undefined ? to - DAY_MS : parseBound(request.query.from, timeZone);
      if (from === null) throw badRequest('from: must be an ISO 8601 instant or a local date / date-time', { field: 'from' });
      if (from >= to) throw badRequest('from: must be before to', { field: 'from' });
      if (to - from > MAX_RANGE_MS) throw badRequest('from: the range may span at most 92 days', { field: 'from' });
      const records = await options.drift.list(tenant.id, { from, to, flaggedOnly: request.query.flagged === 'true' });
      return {
        from: formatLocal(from, timeZone),
        to: formatLocal(to, timeZone),
        timeZone,
        flagged: records.filter((r) => r.flagged).length,
        records: records.map((r) => ({
          metric: r.metric,
          kind: r.kind,
          start: formatLocal(r.bucket, timeZone),
          end: formatLocal(r.bucket + RESOLUTION_MS.quarter, timeZone),
          speed: r.speed,
          batch: r.batch,
          drift: r.drift,
          relativeDrift: r.relativeDrift,
          tolerance: r.tolerance,
          flagged: r.flagged,
          checkedAt: new Date(r.checkedAt).toISOString(),
        })),
      };
    },
  );
}
