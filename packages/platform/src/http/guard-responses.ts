import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { guardedRoute, type TrafficGuardOptions } from './traffic-guards.ts';

/** The body every error answer has (see error-handler.ts). */
export const errorBody = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional(), requestId: z.string() });

/**
 * Adds the 429 (rate limited) and 503 (shedding load, or an engine failing over) answers to every documented route's
 * OpenAPI responses, so clients generated from /docs know to honour Retry-After.
 */
export function documentGuardResponses(app: FastifyInstance, guards: TrafficGuardOptions): void {
  const { rateLimit } = guards;
  app.addHook('onRoute', (route) => {
    const schema = route.schema as ({ hide?: boolean; response?: Record<string, unknown> } | undefined);
    if (!schema || schema.hide) return;
    const response = { ...(schema.response ?? {}) };
    const limited = rateLimit.max > 0 && (rateLimit.appliesTo?.(guardedRoute(route.url, schema)) ?? true);
    if (limited) response['429'] ??= errorBody.describe('Too many requests from this client; retry after Retry-After seconds');
    // Also without shedding: an engine failing over answers 503 ENGINE_UNAVAILABLE (error-handler.ts).
    response['503'] ??= errorBody.describe('The server is overloaded, or an engine it needs is failing over; retry after Retry-After seconds');
    schema.response = response;
  });
}
