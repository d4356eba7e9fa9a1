import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { EngineUnavailableError } from '../engine-unavailable.ts';
import { HttpError } from './http-error.ts';

interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
  requestId: string;
}

/** Fastify's own client-error codes, mapped to the status a client should see and a message it can act on. */
const FASTIFY_CLIENT_ERRORS: Record<string, { status: number; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413 },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415 },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400 },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, message: 'Body is empty but content-type is application/json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400 },
  FST_ERR_CTP_EMPTY_TYPE: { status: 415 },
  FST_ERR_BAD_URL: { status: 400 },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400 },
};

/**
 * The only place that turns errors into HTTP answers. Client mistakes become 4xx with a
 * message naming what is wrong; anything unexpected is logged with the request id and becomes
 * a 500 whose body leaks nothing.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const send = (status: number, body: Omit<ErrorBody, 'requestId'>) =>
      reply.status(status).send({ ...body, requestId: request.id } satisfies ErrorBody);

    if (error instanceof HttpError) {
      if (error.headers) reply.headers(error.headers);
      return send(error.status, { error: error.code, message: error.message, details: error.details });
    }
    if (error instanceof EngineUnavailableError) {
      // Expected while an engine fails over: a warning, not a bug; the client retries.
      request.log.warn({ err: error, engine: error.engine }, 'engine unavailable');
      reply.header('retry-after', '1');
      return send(503, { error: 'ENGINE_UNAVAILABLE', message: `The ${error.engine} is unavailable for now; retry shortly (a write retried with the same Idempotency-Key happens once)` });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const issues = error.validation.map((v) => {
        const field = [where, ...v.instancePath.split('/').filter(Boolean)].join('.');
        return { field, message: v.message };
      });
      return send(400, {
        error: 'VALIDATION_FAILED',
        message: issues.map((i) => `${i.field}: ${i.message}`).join('; '),
        details: issues,
      });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return send(500, { error: 'INTERNAL', message: 'Internal server error' });
    }
    const known = error.code ? FASTIFY_CLIENT_ERRORS[error.code] : undefined;
    if (known) return send(known.status, { error: error.code, message: known.message ?? error.message });
    if (error.validation) {
      return send(400, { error: 'VALIDATION_FAILED', message: error.message });
    }
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return send(error.statusCode, { error: error.code ?? 'BAD_REQUEST', message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(500, { error: 'INTERNAL', message: 'Internal server error' });
  });

  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: 'NOT_FOUND',
      message: `No route ${request.method} ${request.url.split('?')[0]}`,
      requestId: request.id,
    } satisfies ErrorBody);
  });
}
