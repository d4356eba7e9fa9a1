import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError } from './http-error.ts';

/**
 * Who may read `/metrics`: whoever sends `Authorization: Bearer <token>` (Prometheus's
 * `authorization` scrape setting). Without a token configured the endpoint stays closed:
 * series carry tenant ids, routes and business volumes that are nobody else's business.
 */
export interface MetricsAccess {
  token: string | undefined;
  /** The environment variable that sets the token, named in refusals. */
  variable: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Throws the 401/403 a scrape without the right bearer token deserves. */
export function checkMetricsAccess(request: FastifyRequest, access: MetricsAccess | undefined): void {
  const variable = access?.variable ?? 'the metrics token';
  if (!access?.token) {
    throw new HttpError(403, 'METRICS_CLOSED', `Metrics are not served: set ${variable} and scrape with Authorization: Bearer <token>`);
  }
  const match = /^Bearer\s+(\S{1,512})$/i.exec(request.headers.authorization?.trim() ?? '');
  // Digests of equal length, so the comparison takes the same time whatever was sent.
  if (!match?.[1] || !timingSafeEqual(digest(match[1]), digest(access.token))) {
    throw new HttpError(401, 'UNAUTHORIZED', `Send Authorization: Bearer <${variable}> to read metrics`, undefined, { 'www-authenticate': 'Bearer realm="metrics"' });
  }
}

/** The environment variable holding a metrics token: optional (metrics closed), else long enough not to be guessed. */
export const metricsTokenEnv = () => z.string().min(16, { message: 'must be at least 16 characters' }).optional();
