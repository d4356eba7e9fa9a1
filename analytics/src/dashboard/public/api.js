import { createAnalyticsClient } from './sdk.js';

/**
 * The dashboard's only way to the API: the typed SDK (`@shop/sdk/analytics`, bundled into
 * sdk.js), same origin, `Authorization: Bearer <read key>`, and every failure turned into an
 * ApiError whose `kind` decides what the page does:
 * auth -> ask for another key; not-covered / bad-request -> show the server's message;
 * network / server -> say so and retry.
 */
export class ApiError extends Error {
  constructor(kind, message, status = 0, details = undefined) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = status;
    this.details = details;
  }

  get retryable() {
    return this.kind === 'network' || this.kind === 'server';
  }
}

const client = createAnalyticsClient({ baseUrl: window.location.origin });

/** Query parameters without the unset ones; a list is a repeated parameter (filter=a:1&filter=b:2). */
function queryOf(params) {
  return Object.fromEntries(Object.entries(params ?? {}).filter(([, value]) => value !== undefined && value !== null));
}

export function authHeaders(key, accept = 'application/json') {
  return { authorization: `Bearer ${key}`, accept };
}

/**
 * One call through the SDK: `method` and `path` as the OpenAPI document names them, `params` in
 * the query. Resolves `{ data, response }` for a 2xx answer, rejects with an ApiError (or the
 * abort, when `signal` ended it).
 */
export async function call(method, path, { params, key, accept, body, signal, parseAs = 'json' } = {}) {
  let answer;
  try {
    answer = await client.request(method, path, {
      params: { query: queryOf(params) },
      headers: authHeaders(key, accept),
      ...(body === undefined ? {} : { body }),
      ...(signal ? { signal } : {}),
      parseAs,
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('network', 'Cannot reach the analytics API.');
  }
  if (!answer.response.ok) throw errorFrom(answer.response.status, answer.error);
  return answer;
}

/** Fetches `path`; resolves the JSON body of a 2xx answer, rejects with an ApiError. */
export async function getJson(path, params, key, signal) {
  return (await call('GET', path, { params, key, signal })).data;
}

/** The ApiError for a non-2xx answer, from its `{ error, message, details }` body (the SDK parsed it, or left text). */
export function errorFrom(status, parsed) {
  // A proxy's HTML error page or an empty body: the status alone has to do.
  const body = parsed && typeof parsed === 'object' ? parsed : {};
  const said = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  if (status === 401 || status === 403) {
    // The server's words say why (a share link "expired at ...", "was revoked"); the shared view shows them.
    return new ApiError('auth', 'This read key was not accepted: it is unknown, revoked, or not a read key.', status, { serverMessage: said });
  }
  if (status === 503 && body.error === 'PERIOD_NOT_COVERED') {
    const missing = body.details?.missing ?? [];
    // Local wall-clock times as the API gives them ("2026-10-28T00:00:00+05:30" -> "2026-10-28 00:00").
    const local = (iso) => String(iso).slice(0, 16).replace('T', ' ');
    const spans = missing.map((p) => `${local(p.from)} to ${local(p.to)}`).join(', ');
    const message = spans
      ? `No layer holds ${spans} yet: the speed layer no longer keeps it and the batch views do not cover it. Choose a shorter range, or run the batch job for those days.`
      : said;
    return new ApiError('not-covered', message, 503, { missing, watermark: body.details?.watermark ?? null, serverMessage: said });
  }
  if (status >= 500 || status === 429) return new ApiError('server', `The analytics API answered ${status}: ${said}`, status);
  return new ApiError('bad-request', said, status);
}

/** POST or DELETE with a JSON body (and `params` in the URL); resolves the JSON answer (null for 204), rejects with an ApiError. */
export async function sendJson(method, path, body, key, params = {}) {
  const { data, response } = await call(method, path, { params, key, body });
  return response.status === 204 ? null : (data ?? null);
}
