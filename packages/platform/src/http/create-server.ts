import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { installErrorHandling } from './error-handler.ts';
import { installHealth, type ReadinessCheck } from './health.ts';
import { installJsonBodyParser } from './json-body.ts';
import { installHttpMetrics } from './metrics.ts';
import type { MetricsAccess } from './metrics-access.ts';
import { documentGuardResponses } from './guard-responses.ts';
import { installTrafficGuards, type TrafficGuardOptions } from './traffic-guards.ts';
import { installWellFormedText } from './well-formed-text.ts';

export type HttpServer = FastifyInstance;
export type { ZodTypeProvider };

export interface ServerOptions {
  logger: Logger;
  title: string;
  description: string;
  version?: string;
  /** Largest accepted request body in bytes; larger ones get 413. */
  bodyLimit?: number;
  metrics: Registry;
  /** The bearer token `/metrics` asks for; without one it answers 403 (see metrics-access.ts). */
  metricsAccess?: MetricsAccess;
  readiness?: ReadinessCheck[];
  /** Extra OpenAPI security schemes (cookie, bearer, basic...). */
  securitySchemes?: Record<string, unknown>;
  /** Set once shutdown begins so /ready drains the instance. */
  isShuttingDown?: () => boolean;
  /**
   * Per-client rate limit, load shedding and HSTS. Without it a server still sends the other
   * security headers but neither limits nor sheds (module test harnesses).
   */
  guards?: TrafficGuardOptions;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * A Fastify instance with the house conventions: zod schemas for validation and OpenAPI,
 * request ids (taken from `x-request-id` when sane, echoed back), one error mapping,
 * `/health`, `/ready`, `/metrics` and the interactive API viewer at `/docs`.
 * Routes are registered by the caller inside `app.register(...)` after this returns.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    // One line per request comes from our onResponse hook (with status and duration) instead.
    logController: new LogController({ disableRequestLogging: true }),
    // Route params and query strings stay small; very long ones are an attack, not a request.
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.log.debug({ method: request.method, url: request.url }, 'request received');
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      { method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });

  installErrorHandling(app);
  installJsonBodyParser(app);
  installWellFormedText(app);
  await installTrafficGuards(app, options.guards ?? { rateLimit: { max: 0, windowSeconds: 60, prefix: '' }, maxEventLoopDelayMs: 0, hsts: false });
  if (options.guards) documentGuardResponses(app, options.guards);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title, description: options.description, version: options.version ?? '0.1.0' },
      components: { securitySchemes: (options.securitySchemes ?? {}) as never },
    },
    transform: jsonSchemaTransform,
    // Schemas given an id (`.meta({ id })`) become named components; one that contains itself needs that to resolve.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    // The viewer's own policy (hashes of its inline script and style), without framing and, on plain HTTP, without the upgrade.
    staticCSP: true,
    transformStaticCSP: (header) => {
      const framed = header.replace("frame-ancestors 'self'", "frame-ancestors 'none'");
      return (options.guards?.hsts ? framed : framed.replace(/upgrade-insecure-requests;?/, '')).trim();
    },
  });
  installHttpMetrics(app, options.metrics, options.metricsAccess);
  installHealth(app, options.readiness ?? [], options.isShuttingDown ?? (() => false));
  return app;
}
