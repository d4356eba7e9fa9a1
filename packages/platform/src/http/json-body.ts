import type { FastifyInstance } from 'fastify';
import { HttpError } from './http-error.ts';

/** Any spelling JSON allows for the key `__proto__` (each letter may be a \u escape). */
const PROTO_KEY_TEXT = /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"/;

/** Where a parsed value holds an own `__proto__` key (`body.properties`), or null. Iterative: bodies may nest deep. */
function protoKeyPath(value: unknown): string | null {
  const stack: { node: unknown; path: string }[] = [{ node: value, path: 'body' }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push({ node: child, path: `${path}[${i}]` }));
      continue;
    }
    if (Object.hasOwn(node, '__proto__')) return path;
    for (const [key, child] of Object.entries(node)) stack.push({ node: child, path: `${path}.${key}` });
  }
  return null;
}

/**
 * Parses a JSON request body. `JSON.parse` keeps every key as plain data (`constructor`,
 * `prototype` and `__proto__` included), so nothing here can pollute a prototype; but a
 * `__proto__` key would be dropped or turn into a prototype at the first copy (zod's,
 * `Object.assign`'s), silently losing data, so it is refused by name instead. `constructor`
 * is an ordinary property name (a product's, a form field's) and is kept.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new HttpError(400, 'EMPTY_BODY', 'The body is empty; send a JSON document');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'INVALID_JSON', `The body is not valid JSON: ${(error as Error).message}`);
  }
  const at = PROTO_KEY_TEXT.test(text) ? protoKeyPath(value) : null;
  if (at !== null) {
    throw new HttpError(400, 'FORBIDDEN_KEY', `The key "__proto__" (in ${at}) is not accepted: it names the JavaScript object prototype; rename it`);
  }
  return value;
}

/** Fastify's `application/json` parser replaced by {@link parseJsonBody} (clear messages for every refusal). */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
