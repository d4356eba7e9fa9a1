import type { FastifySchemaCompiler } from 'fastify';

/**
 * A route's `validatorCompiler` that takes a body `check` accepts as it is, and hands anything
 * else to the server's own (zod) compiler, which refuses it with its usual 400 message or accepts
 * it. The zod schema stays on the route for the OpenAPI document and for every refusal.
 */
export function checkedBodyValidator(check: (body: unknown) => boolean, fallback: FastifySchemaCompiler<unknown>): FastifySchemaCompiler<unknown> {
  return (route) => {
    const slow = fallback(route);
    if (route.httpPart !== 'body') return slow;
    return (data) => (check(data) ? { value: data } : slow(data));
  };
}
