import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { z } from 'zod';
import { errorBody, HttpError, parseJsonBody, unauthorized, type ZodTypeProvider } from '@shop/platform';
import type { EventType } from '../contracts/index.ts';
import type { TenantsApi } from '../tenants/index.ts';
import type { CollectorMetrics } from './collector-metrics.ts';
import { installCors } from './cors.ts';
import { gunzipBounded } from './gzip-body.ts';
import type { Ingest, IngestOutcome } from './ingest-events.ts';
import { checkedBodyValidator } from './checked-body-validator.ts';
import { passesBatchBody, passesMessageSchema } from './segment-message.check.ts';
import { batchBody, messageSchemas } from './segment-message.schema.ts';
import { BATCH_PATHS, CLIENT_METRICS_PATH, singleEventPaths } from './segment-paths.ts';
import { readWriteKey } from './write-key.ts';
import { clientIp } from './enrichment/client-ip.ts';
import { messageBytesBound } from './message-bytes-bound.ts';

export interface CollectorRoutesDeps {
  tenants: Pick<TenantsApi, 'authenticate'>;
  ingest: Ingest;
  metrics: CollectorMetrics;
  /** Largest request body, after gzip inflation; larger is a 413. */
  maxBatchBytes: number;
  corsOrigins: string[] | '*';
  /** Proxies in front of the collector whose X-Forwarded-For entries are believed; 0: the socket's peer is the client. */
  trustedProxyHops?: number;
}

const outcomeSchema = z.object({
  success: z.boolean(),
  accepted: z.number().int(),
  duplicates: z.array(z.object({ index: z.number().int(), messageId: z.string() })),
  rejected: z.array(z.object({ index: z.number().int(), messageId: z.string().optional(), code: z.string(), reason: z.string() })),
});

/**
 * A 429 or 503 keeps the per-event outcome (which events to resend), with the error fields of every
 * refusal. The server's own guards (rate limit, load shedding, an engine failing over) answer the
 * plain error body before any event is looked at.
 */
const refusedSchema = z.union([outcomeSchema.extend({ error: z.string(), message: z.string(), requestId: z.string() }), errorBody]);
const responses = {
  200: outcomeSchema,
  429: refusedSchema.describe('Rate limited or over quota; resend after Retry-After seconds (messageIds are deduplicated)'),
  503: refusedSchema.describe('Some events were not stored, or the server is overloaded; resend after Retry-After seconds (messageIds are deduplicated)'),
};

/** The status an outcome deserves: retryable trouble first, then "nothing usable", else 200. */
function statusOf(outcome: IngestOutcome): { status: number; error?: string; message?: string } {
  const codes = new Set(outcome.rejected.map((r) => r.code));
  const first = outcome.rejected[0]?.reason ?? '';
  if (codes.has('LOG_UNAVAILABLE') || codes.has('UNAVAILABLE') || codes.has('IN_FLIGHT')) {
    return { status: 503, error: 'UNAVAILABLE', message: `Some events were not stored; resend the request (safe: messageIds are deduplicated). ${first}` };
  }
  const limited = outcome.rejected.find((r) => r.code === 'RATE_LIMITED' || r.code === 'QUOTA_EXCEEDED');
  if (limited) return { status: 429, error: limited.code, message: `${limited.reason}; resend after Retry-After seconds (safe: messageIds are deduplicated)` };
  if (outcome.accepted === 0 && outcome.duplicates.length === 0 && outcome.rejected.length > 0) {
    return { status: 400, error: outcome.rejected[0]?.code ?? 'INVALID_EVENT', message: `No event was accepted: ${first}` };
  }
  return { status: 200 };
}

/**
 * The Segment Tracking API: `/v1/batch` and the single-event routes, so the official
 * Segment libraries deliver here by changing their host. Every route answers only after
 * the log holds the accepted events durably, and says what it did with every event.
 */
export async function registerCollectorRoutes(app: FastifyInstance, deps: CollectorRoutesDeps): Promise<void> {
  await app.register(async (scope) => {
    installCors(scope, deps.corsOrigins);
    scope.addHook('preParsing', async (request, _reply, payload) => {
      // Every body is JSON, whatever its Content-Type says, as on Segment's own API: analytics.js
      // sends text/plain (no preflight for the type), sendBeacon cannot choose, and Node SDKs that
      // post a gzip Buffer through axios send application/x-www-form-urlencoded. A 415 would be
      // final for them (4xx is not retried): every event lost. Without the header Fastify hands
      // any body to the catch-all parser below (with it, a malformed type is a 415 before parsing).
      delete request.headers['content-type'];
      const encoding = request.headers['content-encoding']?.trim().toLowerCase();
      if (!encoding || encoding === 'identity') return payload;
      if (encoding !== 'gzip') throw new HttpError(415, 'UNSUPPORTED_ENCODING', `Content-Encoding "${encoding.slice(0, 40)}" is not supported; send gzip or no encoding`);
      return gunzipBounded(payload, deps.maxBatchBytes);
    });
    scope.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
      try {
        const value = parseJsonBody(body as string);
        const bound = messageBytesBound(body as string);
        if (bound !== undefined) messageBounds.set(request, bound);
        done(null, value);
      } catch (error) {
        done(error as Error, undefined);
      }
    });

    const api = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ['collector'];
    const security = [{ writeKey: [] }];

    async function tenantOf(request: FastifyRequest) {
      const key = readWriteKey(request.headers.authorization, request.body);
      if (key === undefined) {
        deps.metrics.unauthorized.inc({ reason: 'MISSING' });
        throw unauthorized('Send the write key as the HTTP Basic user with an empty password, or as writeKey in the body');
      }
      if (key === null) {
        deps.metrics.unauthorized.inc({ reason: 'MALFORMED' });
        throw unauthorized('Authorization must be Basic base64("<writeKey>:"), and writeKey a non-empty string');
      }
      const found = await deps.tenants.authenticate(key, 'write').catch((error: unknown) => {
        request.log.error({ err: error }, 'tenant store unavailable');
        throw new HttpError(503, 'UNAVAILABLE', 'The key store is unavailable; resend shortly', undefined, { 'retry-after': '1' });
      });
      if (!found.ok) {
        deps.metrics.unauthorized.inc({ reason: found.error.code });
        // A share key is a good key that may not write: 403, naming its scope.
        const status = found.error.code === 'TENANT.KEY_OUT_OF_SCOPE' ? 403 : 401;
        throw new HttpError(status, found.error.code, found.error.code === 'TENANT.KEY_UNKNOWN' ? 'The write key is not known' : found.error.message);
      }
      return found.value;
    }

    async function answer(reply: FastifyReply, outcome: IngestOutcome) {
      const { status, error, message } = statusOf(outcome);
      if (outcome.retryAfterSeconds !== undefined && status !== 200 && status !== 400) reply.header('retry-after', String(outcome.retryAfterSeconds));
      const body = {
        success: status === 200 && outcome.rejected.length === 0,
        accepted: outcome.accepted,
        duplicates: outcome.duplicates,
        rejected: outcome.rejected,
      };
      return reply.status(status).send(error ? { ...body, error, message, requestId: reply.request.id } : body);
    }

    const options = { bodyLimit: deps.maxBatchBytes };
    const zodValidator = api.validatorCompiler as FastifySchemaCompiler<unknown>;
    for (const path of BATCH_PATHS) {
      api.post(
        path,
        {
          ...options,
          validatorCompiler: checkedBodyValidator(passesBatchBody, zodValidator),
          schema: {
            tags,
            security,
            summary: path === '/v1/batch' ? 'Send many events (Segment batch); each event is accepted or rejected by index' : 'Same as /v1/batch (the path some Segment libraries use)',
            body: batchBody,
            response: responses,
          },
        },
        async (request, reply) => {
          const tenant = await tenantOf(request);
          const { batch, sentAt, context } = request.body;
          const outcome = await deps.ingest(tenant, batch, undefined, {
            ...(sentAt ? { sentAt } : {}),
            ...(context ? { context } : {}),
            ...requestInfoOf(request, deps.trustedProxyHops ?? 0),
          });
          return answer(reply, outcome);
        },
      );
    }

    for (const type of Object.keys(messageSchemas) as EventType[]) {
      const [long, short] = singleEventPaths(type);
      for (const path of [long, short]) {
        api.post(
          path!,
          {
            ...options,
            validatorCompiler: checkedBodyValidator((body) => passesMessageSchema(type, body), zodValidator),
            schema: {
              tags,
              security,
              summary: path === long ? `Send one ${type} event` : `Same as ${long} (the path analytics.js posts to)`,
              body: messageSchemas[type],
              response: responses,
            },
          },
          async (request, reply) => {
            const tenant = await tenantOf(request);
            return answer(reply, await deps.ingest(tenant, [request.body], type, requestInfoOf(request, deps.trustedProxyHops ?? 0)));
          },
        );
      }
    }

    // analytics.js reports its own counters here unless told otherwise; answering keeps its console clean.
    api.post(
      CLIENT_METRICS_PATH,
      { bodyLimit: 64 * 1024, schema: { hide: true, body: z.looseObject({ series: z.array(z.unknown()).max(100) }) } },
      async (_request, reply) => reply.status(200).send({ success: true }),
    );
    // Unknown collector paths: a 404 that carries the CORS headers (so analytics.js can read it) and says what exists.
    scope.post('/v1/*', { schema: { hide: true } }, async (request) => {
      throw new HttpError(404, 'NOT_FOUND', `No collector route POST ${request.url.split('?')[0]}; send events to ${[...BATCH_PATHS, ...EVENT_PATHS].join(', ')}`);
    });

    // Preflight: the CORS hook has set the headers; this only gives OPTIONS a route.
    scope.options('/v1/*', { schema: { hide: true } }, async (_request, reply) => reply.status(204).send());
  });
}

const EVENT_PATHS = (Object.keys(messageSchemas) as EventType[]).flatMap(singleEventPaths);

/** What the body's text says of its messages' size (`messageBytesBound`), by request. */
const messageBounds = new WeakMap<FastifyRequest, number>();

/** What the request itself says about its sender: enrichment input, never stored as such. */
function requestInfoOf(request: FastifyRequest, trustedProxyHops: number): { userAgent?: string; clientIp?: string; messageBytesAtMost?: number } {
  const ua = request.headers['user-agent'];
  const ip = clientIp(request.socket.remoteAddress, request.headers['x-forwarded-for'], trustedProxyHops);
  const bound = messageBounds.get(request);
  return { ...(typeof ua === 'string' ? { userAgent: ua } : {}), ...(ip ? { clientIp: ip } : {}), ...(bound !== undefined ? { messageBytesAtMost: bound } : {}) };
}
