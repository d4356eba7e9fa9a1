import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, HttpError } from '@shop/platform';
import type { DuckDbEngine, LakeStore } from '../batch/index.ts';
import { type AggregateStore, BREAKDOWN_DIMENSIONS, EVENT_DIMENSIONS, type GoalDefinition, type MetricDeclaration, METRICS, RATIOS } from '../contracts/index.ts';
import { type MetricQuery, type MetricResult, runQuery, type ServingLayer } from '../serving/index.ts';
import { formatLocal } from '../calendar/index.ts';
import { queryString, type SpeedReach } from './query-params.ts';
import { type Answer, answerPanel, checkPanel } from './answer-panel.ts';
import { panelCsv } from './panel-csv.ts';
import { answerAllFromRawEvents, filterDimensions, type PanelAnswer, type PanelQuery, type RawPanelQuery } from './combined-filter.ts';
import { exclusiveConnection } from './duckdb-queue.ts';
import { type RawWarmUp, type RawWarmUpOptions, startRawWarmUp } from './raw-warm-up.ts';
import { requireTenant, type ReadKeyResolver } from './read-key.ts';

export interface QueryRoutesOptions {
  store: AggregateStore;
  /**
   * When given, queries answer through the serving layer (batch views up to the watermark B,
   * the speed layer after it) and state B, the batch lag and which layer served which span.
   * Without it they read the speed layer alone.
   */
  serving?: ServingLayer;
  tenants: ReadKeyResolver;
  metrics?: readonly MetricDeclaration[];
  now?: () => number;
  /**
   * The raw store and a DuckDB: with them, filters on several dimensions (or a filter with a
   * breakdown by another dimension) are counted from the raw events. Without them they get a 400.
   */
  raw?: {
    lake: LakeStore;
    duckdb: DuckDbEngine;
    /** Each tenant's visit timeout in ms, for visit metrics folded from the raw events; default 30 minutes. */
    visitTimeout?: (tenantId: string) => number;
    /** Each tenant's goals as defined now, for goal metrics counted from the raw events. */
    goals: (tenantId: string) => Promise<readonly GoalDefinition[]>;
    /** Once the server is ready, each tenant's recent days are loaded off the request path (raw-warm-up.ts). */
    warmUp?: RawWarmUpOptions;
  };
  /** How often `/v1/stream` pushes an update. Default 1,000 ms. */
  streamIntervalMs?: number;
}

export interface QueryRoutes {
  /** Open `/v1/stream` connections; each one's timer is cleared when its client goes away. */
  openStreams(): number;
  /** The raw warm-up's outcome once it ended; null when none was asked for or the server is not ready yet. */
  warmedUp(): Promise<{ tenants: number; days: number }> | null;
}

const PATH_LABELS: Record<string, string> = {
  type: 'Type',
  event: 'Event',
  'context.page.path': 'Page',
  'properties.category': 'Category',
  'context.campaign.source': 'Campaign source',
  'visit.entry_page': 'Entry page',
  'visit.exit_page': 'Exit page',
  goal: 'Goal',
};
const dimensionLabel = (name: string) => EVENT_DIMENSIONS.find((d) => d.name === name)?.label ?? PATH_LABELS[name] ?? name;

/** How often `/v1/stream` re-reads a combined-filter answer from the raw events. */
const RAW_STREAM_INTERVAL_MS = 10_000;

const topItem = z.object({ item: z.string(), count: z.number() });
const metricResult = z.object({
  metric: z.string(),
  kind: z.enum(['count', 'sum', 'unique', 'topk', 'ratio']),
  granularity: z.enum(['minute', 'hour', 'day']),
  timeZone: z.string(),
  from: z.string(),
  to: z.string(),
  decimals: z.number().optional(),
  series: z.array(
    z.object({
      start: z.string(),
      end: z.string(),
      value: z.number(),
      top: z.array(topItem).optional(),
      breakdown: z.record(z.string(), z.number()).optional(),
    }),
  ),
  total: z.object({ value: z.number(), top: z.array(topItem).optional() }),
  breakdown: z.object({ dimension: z.string(), values: z.array(z.string()) }).optional(),
  filter: z.object({ dimension: z.string(), value: z.string() }).optional(),
  filters: z.array(z.object({ dimension: z.string(), value: z.string() })).optional(),
  served: z.enum(['cells', 'raw events']).optional().describe('stored cells (one filter), or the raw events counted exactly (filters on several dimensions)'),
  freshness: z.object({
    lastEventTime: z.string().nullable(),
    lagMs: z.number().nullable(),
    late: z.number(),
    rejected: z.number(),
    source: z.literal('raw events').optional(),
    through: z.string().nullable().optional().describe('from the raw events: the last receipt read'),
    files: z.number().optional(),
  }),
  // Present when answered through the serving layer.
  watermark: z.string().nullable().optional(),
  lagMs: z.number().nullable().optional(),
  layers: z.array(z.object({ from: z.string(), to: z.string(), layer: z.enum(['batch', 'speed']) })).optional(),
  comparison: z
    .object({
      from: z.string(),
      to: z.string(),
      series: z.array(z.object({ start: z.string(), end: z.string(), value: z.number(), breakdown: z.record(z.string(), z.number()).optional() })),
      total: z.object({ value: z.number() }),
    })
    .optional(),
  ratio: z.object({ numerator: z.string(), denominator: z.string() }).optional(),
});

/**
 * Queries over the speed layer's views, or through the serving layer over both layers. The read key (Bearer, or Basic user) picks the
 * tenant; periods are local to `tz` (default: the tenant's zone).
 *
 * @example
 * const routes = await registerQueryRoutes(app, { store, tenants });
 * // GET /v1/query?metric=pageviews&granularity=day&tz=America/New_York&from=2026-03-01&to=2026-03-15
 */
export async function registerQueryRoutes(app: FastifyInstance, options: QueryRoutesOptions): Promise<QueryRoutes> {
  const { store, tenants, serving } = options;
  const metrics = options.metrics ?? METRICS;
  const now = options.now ?? Date.now;
  // Behind the serving layer old quarter hours come from the batch views; it refuses what neither layer holds.
  const reach: SpeedReach = serving ? { minuteMs: store.retention.minuteMs } : store.retention;
  const exclusive = options.raw ? exclusiveConnection(app, options.raw.duckdb) : null;
  let warmUp: RawWarmUp | null = null;
  if (exclusive && options.raw?.warmUp) {
    const { lake, warmUp: warm } = options.raw;
    // Started, not awaited: readiness does not wait for it, and questions take the connection between its turns.
    app.addHook('onReady', async () => void (warmUp = startRawWarmUp(exclusive, lake, warm, now())));
    app.addHook('preClose', async () => warmUp?.stop());
  }
  // One statement per panel: a ratio's two sides and the compared period read the raw events once.
  const fromRawEvents = async (queries: readonly RawPanelQuery[], at: number): Promise<PanelAnswer[]> => {
    if (!exclusive || !options.raw) throw badRequest('filter: filters on several dimensions need the raw event store, which this server is not given; use one filter', { field: 'filter' });
    const { lake, visitTimeout, goals } = options.raw;
    const tenantId = queries[0]?.tenantId ?? '';
    const visitTimeoutMs = visitTimeout?.(tenantId);
    const definitions = queries.some((q) => q.metric.goal) ? await goals(tenantId) : [];
    return exclusive((c) => answerAllFromRawEvents(c, lake, queries, at, { goals: definitions, ...(visitTimeoutMs === undefined ? {} : { visitTimeoutMs }) }));
  };
  const answer: Answer = Object.assign(
    async (query: PanelQuery, at: number): Promise<PanelAnswer> => {
      const { combined } = query;
      if (combined) return (await fromRawEvents([{ ...query, combined }], at))[0]!;
      const cells = await answerFromCells(query, at);
      return { ...cells, served: 'cells' as const, ...(query.filter ? { filters: [query.filter] } : {}) };
    },
    { together: fromRawEvents },
  );
  const answerFromCells = async (query: MetricQuery, at: number): Promise<MetricResult> => {
    if (!serving) return runQuery(store, query, at);
    const outcome = await serving.query(query, at);
    if (outcome.ok) return outcome.value;
    const { error } = outcome;
    // 503: the service cannot answer this period yet (the batch trails, or lost a view); it is not the client's mistake.
    throw new HttpError(503, 'PERIOD_NOT_COVERED', error.message, {
      missing: error.missing.map((p) => ({ from: formatLocal(p.from, query.timeZone), to: formatLocal(p.to, query.timeZone) })),
      watermark: error.watermark === null ? null : new Date(error.watermark).toISOString(),
    });
  };
  const intervalMs = options.streamIntervalMs ?? 1000;
  const streams = new Set<() => void>();
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/v1/query',
    {
      schema: {
        summary: 'A metric as a series of local minutes, hours or days, with freshness',
        tags: ['query'],
        querystring: queryString,
        response: { 200: metricResult },
      },
    },
    async (request) => {
      const tenant = await requireTenant(request, tenants, { shared: true });
      return answerPanel(answer, request.query, tenant, metrics, reach, now());
    },
  );

  api.get(
    '/v1/metrics',
    {
      schema: {
        summary: 'What can be asked: each metric and ratio with the dimensions it can be broken down and filtered by, and their labels',
        tags: ['query'],
        response: {
          200: z.object({
            metrics: z.array(
              z.object({
                name: z.string(),
                description: z.string(),
                kind: z.string(),
                breakdowns: z.array(z.string()),
                filters: z.array(z.string()).describe('the dimensions it can be filtered by: its breakdowns, and with combinedFilters every dimension the raw events carry'),
                combinedFilters: z.boolean().describe('filters on several dimensions, or on one it is not broken down by (answered from the raw events), are accepted'),
              }),
            ),
            ratios: z.array(
              z.object({
                name: z.string(),
                description: z.string(),
                numerator: z.string(),
                denominator: z.string(),
                whole: z.string().optional().describe('a dimension that filters the numerator only, each value over the whole denominator (a goal)'),
              }),
            ),
            dimensions: z.array(z.object({ name: z.string(), label: z.string() })),
          }),
        },
      },
    },
    async (request) => {
      await requireTenant(request, tenants, { shared: true });
      return {
        metrics: metrics.map((m) => {
          const combinedFilters = options.raw !== undefined;
          return { name: m.name, description: m.description, kind: m.measure.kind, breakdowns: [...m.breakdowns], filters: [...(combinedFilters ? filterDimensions(m) : m.breakdowns)], combinedFilters };
        }),
        ratios: RATIOS.map((r) => ({ ...r })),
        dimensions: BREAKDOWN_DIMENSIONS.map((name) => ({ name, label: dimensionLabel(name) })),
      };
    },
  );

  api.get(
    '/v1/query.csv',
    {
      schema: {
        summary: 'The same answer as /v1/query, as CSV: one row per period (or per top-K item)',
        tags: ['query'],
        querystring: queryString,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const tenant = await requireTenant(request, tenants, { shared: true });
      const result = await answerPanel(answer, request.query, tenant, metrics, reach, now());
      const name = `${result.metric}-${result.from.slice(0, 10)}-${result.to.slice(0, 10)}.csv`.replace(/[^\w.-]/g, '_');
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(panelCsv(result));
    },
  );

  api.get(
    '/v1/dimensions',
    {
      schema: {
        summary: 'The dimensions the collector fills in at ingest: each is a breakdown= and filter= of /v1/query for the metrics that list it',
        tags: ['query'],
        response: {
          200: z.object({
            dimensions: z.array(z.object({ name: z.string(), label: z.string(), source: z.string() })),
            metrics: z.array(z.object({ name: z.string(), breakdowns: z.array(z.string()) })),
          }),
        },
      },
    },
    // Vocabulary, not data: the same for every tenant, so no key is asked for.
    async () => ({
      dimensions: EVENT_DIMENSIONS.map(({ name, label, source }) => ({ name, label, source })),
      metrics: metrics.map((m) => ({ name: m.name, breakdowns: [...m.breakdowns] })),
    }),
  );

  api.get(
    '/v1/stream',
    {
      schema: {
        summary: 'Server-sent events: the /v1/query result for a sliding window, pushed about once a second',
        tags: ['query'],
        querystring: queryString,
      },
    },
    async (request, reply) => {
      const tenant = await requireTenant(request, tenants, { shared: true });
      // Validate once up front so bad parameters get a 400, not an event stream of errors.
      const raw = checkPanel(request.query, tenant, metrics, reach, now());
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-request-id': String(request.id),
      });
      let busy = false;
      const push = async () => {
        if (busy || res.destroyed) return;
        busy = true;
        try {
          const at = now();
          const result = await answerPanel(answer, request.query, tenant, metrics, reach, at);
          if (!res.destroyed) res.write(`event: update\ndata: ${JSON.stringify(result)}\n\n`);
        } catch (error) {
          request.log.error({ err: error }, 'stream update failed');
          if (!res.destroyed) res.write(`event: error\ndata: ${JSON.stringify({ message: 'update failed; retrying' })}\n\n`);
        } finally {
          busy = false;
        }
      };
      // A raw-event answer scans the range's raw objects, which the archiver flushes every few seconds.
      const timer = setInterval(() => void push(), raw ? Math.max(intervalMs, RAW_STREAM_INTERVAL_MS) : intervalMs);
      const close = () => {
        clearInterval(timer);
        streams.delete(close);
        if (!res.destroyed) res.end();
      };
      streams.add(close);
      // The response's close is the connection's: it fires when the client goes away.
      res.once('close', close);
      await push();
    },
  );

  // Server shutdown ends open streams so `app.close()` does not wait on them.
  app.addHook('preClose', async () => {
    for (const close of [...streams]) close();
  });

  return { openStreams: () => streams.size, warmedUp: () => warmUp?.done ?? null };
}
