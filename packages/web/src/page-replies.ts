import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { appendSetCookies } from './cookies.ts';

/** Every answer of a web client: its CSP, no sniffing, no framing, and how much of the URL leaves with a link. */
export function securityHeaders(app: FastifyInstance, o: { csp: string; referrerPolicy: string }): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    // A route serving a foreign document (captured mail, a shipping label) sets its own, stricter sandbox policy.
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', o.csp);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', o.referrerPolicy);
    if (!reply.hasHeader('x-frame-options')) reply.header('x-frame-options', 'DENY');
    return payload;
  });
}

/**
 * Client errors (a malformed form, an oversized body) answer in plain text with their status; anything
 * else is logged and rendered by `page` (unreachable: the commerce API did not answer at all).
 */
export function pageErrors(app: FastifyInstance, page: (error: unknown, request: FastifyRequest, reply: FastifyReply, unreachable: boolean) => Promise<unknown>): void {
  app.setErrorHandler(async (error: unknown, request, reply) => {
    const status = (error as Partial<FastifyError>).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return reply.status(status).header('content-type', 'text/plain; charset=utf-8').send(error instanceof Error ? error.message : 'Bad request');
    }
    const unreachable = error instanceof TypeError && /fetch failed/.test(error.message);
    request.log.error({ err: error }, unreachable ? 'commerce API unreachable' : 'page failed');
    return page(error, request, reply, unreachable);
  });
}

/** A rendered document, with the cookies the API set during the visit passed on. */
export function sendDocument(reply: FastifyReply, document: string, o: { status?: number | undefined; setCookies: readonly string[]; cacheControl: string; vary?: string }): FastifyReply {
  appendSetCookies(reply, o.setCookies);
  reply.status(o.status ?? 200).header('content-type', 'text/html; charset=utf-8').header('cache-control', o.cacheControl);
  if (o.vary) reply.header('vary', o.vary);
  return reply.send(document);
}

/** 303 to `to` after a form, with the visit's cookies. */
export function seeOther(reply: FastifyReply, to: string, setCookies: readonly string[]): FastifyReply {
  appendSetCookies(reply, setCookies);
  return reply.status(303).header('location', to).header('cache-control', 'no-store').send();
}
