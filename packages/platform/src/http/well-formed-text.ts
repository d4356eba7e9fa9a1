import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from './http-error.ts';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no `u` flag). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be stored, or undefined when it can. PostgreSQL refuses NUL in `text`
 * ("invalid byte sequence") and lone UTF-16 surrogates in `json`/`jsonb` ("invalid input
 * syntax"); DuckDB, Parquet and most clients choke on them too. JSON lets a client send both
 * (`"\u0000"`, `"\ud800"`), so every string is checked before any handler sees it.
 */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode (a lone surrogate such as \\ud800 is not)';
  return undefined;
}

/** Nesting deeper than this is refused before it is walked: no request of either system needs it. */
export const MAX_INPUT_DEPTH = 64;

interface Found {
  field: string;
  message: string;
}

/**
 * JSON reads a number too large for a double (`1e400`) as Infinity, which JSON.stringify then
 * writes as null: such a value would differ between the copy a process holds and the one it stored.
 */
const NOT_FINITE = 'must be a number a double can hold (JSON reads 1e400 as Infinity, which cannot be stored)';

/**
 * The first string (value or object key) in `value` that `textProblem` refuses, or the first
 * number that is not finite, with its dotted path.
 */
export function findBadText(value: unknown, path: string, depth = 0): Found | undefined {
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message ? { field: path, message } : undefined;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { field: path, message: NOT_FINITE };
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_INPUT_DEPTH) return { field: path, message: `is nested deeper than ${MAX_INPUT_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadText(value[i], `${path}.${i}`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, inner] of Object.entries(value)) {
    const keyMessage = textProblem(key);
    if (keyMessage) return { field: `${path}.${JSON.stringify(key).slice(1, -1)}`, message: `has a property name that ${keyMessage}` };
    const found = findBadText(inner, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` lets a route take strings that `textProblem` refuses (it must then handle them itself). */
    wellFormedText?: boolean;
  }
}

/**
 * One check for every route of both systems: body, query and path parameters must hold only
 * storable text and finite numbers, else 400 naming the field (`body.shippingAddress.city: must not contain...`).
 * It runs before schema validation, so no route can forget it.
 */
export function installWellFormedText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config?.wellFormedText === false) return;
    const found =
      findBadText(request.params, 'params') ?? findBadText(request.query, 'query') ?? findBadText(request.body, 'body');
    if (found) {
      throw new HttpError(400, 'VALIDATION_FAILED', `${found.field}: ${found.message}`, [found]);
    }
  });
}

/**
 * A zod string that is storable text, for schemas used outside HTTP (events, CLI input,
 * config) where the global hook does not run.
 *
 * @example
 * const address = z.object({ city: text().min(1).max(100) });
 */
export function text() {
  return z.string().refine((s) => textProblem(s) === undefined, {
    error: (issue) => textProblem(String(issue.input)) ?? 'must be storable text',
  });
}
