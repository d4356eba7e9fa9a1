import fastifyRateLimit from '@fastify/rate-limit';
import fastifyUnderPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { createRedisClient } from '../redis/redis-client.ts';
import { HttpError } from './http-error.ts';
import { leasedRateLimitStore } from './leased-rate-limit-store.ts';

export interface RateLimitOptions {
  /** Requests one client may make per window; 0 turns the limit off. */
  max: number;
  windowSeconds: number;
  /** With Redis every instance shares the counters; without, each process counts alone. */
  redisUrl?: string | undefined;
  /** Redis key prefix, so systems and tests sharing a Redis never share counters. */
  prefix: string;
  /** The account behind a request, or null when anonymous (then the client is its IP address). */
  accountOf?: (request: FastifyRequest) => Promise<string | null>;
  /** Routes the budget applies to (default all); a route with its own limits, like a collector's per-tenant one, opts out. */
  appliesTo?: (route: GuardedRoute) => boolean;
}

/** What the guards know of a route: its path pattern and its OpenAPI tags. */
export interface GuardedRoute {
  url: string | undefined;
  tags: readonly string[];
}

export const guardedRoute = (url: string | undefined, schema: unknown): GuardedRoute => ({
  url,
  tags: ((schema as { tags?: unknown } | undefined)?.tags as string[] | undefined) ?? [],
});

export interface TrafficGuardOptions {
  rateLimit: RateLimitOptions;
  /** Answer 503 + Retry-After while the event loop lags more than this (ms); 0 turns shedding off. */
  maxEventLoopDelayMs: number;
  /** Strict-Transport-Security; only for sites served over HTTPS (the apps' Secure-cookie setting). */
  hsts: boolean;
}

/** Liveness and scraping must answer even when clients are throttled or the process is shedding load. */
const EXEMPT = new Set(['/health', '/metrics']);
const isExempt = (request: FastifyRequest) => EXEMPT.has(request.routeOptions.url ?? '');

/** Seconds a shed request is told to wait: long enough for the lag to clear, short enough not to lose the client. */
const SHED_RETRY_AFTER_SECONDS = 2;

/**
 * Security headers on every answer, a per-client request budget on every route, and load
 * shedding, from maintained plugins and middleware. Registered by `createServer` before any
 * route, so no route can be added without them.
 */
export async function installTrafficGuards(app: FastifyInstance, options: TrafficGuardOptions): Promise<void> {
  // Helmet's middleware built once: the Fastify plugin builds it (and parses the policy) again for
  // every request, about a twentieth of a small JSON answer's CPU.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(options.hsts ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: options.hsts ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));

  if (options.maxEventLoopDelayMs > 0) {
    await app.register(fastifyUnderPressure, {
      maxEventLoopDelay: options.maxEventLoopDelayMs,
      pressureHandler: (request, reply, type, value) => {
        if (isExempt(request)) return;
        request.log.warn({ type, value }, 'shedding load');
        reply
          .status(503)
          .header('retry-after', String(SHED_RETRY_AFTER_SECONDS))
          .send({
            error: 'OVERLOADED',
            message: `The server is overloaded (event loop delay ${Math.round(value ?? 0)} ms); retry in ${SHED_RETRY_AFTER_SECONDS} s`,
            requestId: request.id,
          });
      },
    });
  }

  const limit = options.rateLimit;
  if (limit.max > 0) {
    const redis = limit.redisUrl
      ? createRedisClient(limit.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, commandTimeout: 1_000 })
      : undefined;
    if (redis) {
      redis.on('error', (error) => app.log.warn({ err: error }, 'rate-limit redis error'));
      app.addHook('onClose', async () => {
        await redis.quit().catch(() => redis.disconnect());
      });
    }
    await app.register(fastifyRateLimit, {
      global: true,
      max: limit.max,
      timeWindow: limit.windowSeconds * 1000,
      // After onRequest, so the cookie plugin has parsed the session cookie the key may need.
      hook: 'preParsing',
      ...(redis ? { store: leasedRateLimitStore(redis, `${limit.prefix}rate-limit:`) } : {}),
      // A Redis outage must not take the API down with it: the requests pass uncounted (logged above).
      skipOnError: true,
      allowList: (request) =>
        isExempt(request) || (limit.appliesTo ? !limit.appliesTo(guardedRoute(request.routeOptions.url, request.routeOptions.schema)) : false),
      keyGenerator: async (request) => {
        const account = limit.accountOf ? await limit.accountOf(request).catch(() => null) : null;
        return account ? `account:${account}` : `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, context) =>
        new HttpError(
          429,
          'RATE_LIMITED',
          `Too many requests: at most ${context.max} per ${context.after}; retry in ${Math.ceil(context.ttl / 1000)} s`,
          undefined,
          { 'retry-after': String(Math.max(1, Math.ceil(context.ttl / 1000))) },
        ),
    });
  }
}
