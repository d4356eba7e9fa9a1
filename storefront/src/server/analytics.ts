import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { appendSetCookies, cookieLine, cookiesOf } from '@shop/web';

const ANONYMOUS_COOKIE = 'ajs_anonymous_id';

const event = z.discriminatedUnion('type', [
  z.object({ type: z.literal('page'), name: z.string().max(200).optional(), properties: z.record(z.string(), z.unknown()).optional() }),
  z.object({ type: z.literal('track'), event: z.string().min(1).max(100), properties: z.record(z.string(), z.unknown()).optional() }),
]);
const body = z.object({ batch: z.array(event).min(1).max(20) });

/**
 * `POST /t`: page and product views from the browser, forwarded to the analytics collector as the
 * shop tenant. The write key is added here, so the page carries none; the visitor's anonymous id
 * is the cookie the API also uses, so browser and API events join up.
 */
export function analyticsForwarder(options: { analyticsUrl?: string; writeKey?: string; cookieSecure: boolean }) {
  return async (app: FastifyInstance) => {
    app.post('/t', { bodyLimit: 32 * 1024 }, async (request, reply) => {
      const parsed = body.safeParse(typeof request.body === 'string' ? safeJson(request.body) : request.body);
      if (!parsed.success) return reply.status(400).send({ error: 'VALIDATION_FAILED', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      if (!options.analyticsUrl || !options.writeKey) return reply.status(204).send();
      let anonymousId = cookiesOf(request)[ANONYMOUS_COOKIE];
      if (!anonymousId || !/^[\w-]{8,100}$/.test(anonymousId)) {
        anonymousId = randomUUID();
        appendSetCookies(reply, [cookieLine(ANONYMOUS_COOKIE, anonymousId, { maxAgeSeconds: 365 * 86400, secure: options.cookieSecure })]);
      }
      const now = new Date().toISOString();
      const batch = parsed.data.batch.map((e) => ({
        ...e,
        anonymousId,
        messageId: randomUUID(),
        timestamp: now,
        context: { userAgent: request.headers['user-agent'], page: e.properties, library: { name: 'storefront', version: '1' } },
      }));
      // Fire and forget: a slow collector must not slow the shopper's page.
      void fetch(`${options.analyticsUrl.replace(/\/$/, '')}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${options.writeKey}:`).toString('base64')}` },
        body: JSON.stringify({ batch }),
        signal: AbortSignal.timeout(5_000),
      }).catch((error: unknown) => request.log.warn({ err: error }, 'analytics forward failed'));
      return reply.status(202).send();
    });
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
