/**
 * The dashboard's only way to the API: same origin, `Authorization: Bearer <read key>`, and
 * every failure turned into an ApiError whose `kind` decides what the page does:
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

export function apiUrl(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    // A list is a repeated parameter (filter=a:1&filter=b:2).
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(name, String(v));
    else if (value !== undefined && value !== null) url.searchParams.set(name, String(value));
  }
  return url;
}

export function authHeaders(key, accept = 'application/json') {
  return { authorization: `Bearer ${key}`, accept };
}

/** Fetches `path`; resolves the JSON body of a 2xx answer, rejects with an ApiError. */
export async function getJson(path, params, key, signal) {
  let response;
  try {
    response = await fetch(apiUrl(path, params), { headers: authHeaders(key), signal, cache: 'no-store', credentials: 'omit' });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError('network', 'Cannot reach the analytics API.');
  }
  if (!response.ok) throw await errorFrom(response);
  return response.json();
}

/** The ApiError for a non-2xx response, from its `{ error, message, details }` body. */
export async function errorFrom(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    // A proxy's HTML error page or an empty body: the status alone has to do.
  }
  const said = typeof body.message === 'string' ? body.message : `HTTP ${response.status}`;
  if (response.status === 401 || response.status === 403) {
    // The server's words say why (a share link "expired at ...", "was revoked"); the shared view shows them.
    return new ApiError('auth', 'This read key was not accepted: it is unknown, revoked, or not a read key.', response.status, { serverMessage: said });
  }
  if (response.status === 503 && body.error === 'PERIOD_NOT_COVERED') {
    const missing = body.details?.missing ?? [];
    // Local wall-clock times as the API gives them ("2026-10-28T00:00:00+05:30" -> "2026-10-28 00:00").
    const local = (iso) => String(iso).slice(0, 16).replace('T', ' ');
    const spans = missing.map((p) => `${local(p.from)} to ${local(p.to)}`).join(', ');
    const message = spans
      ? `No layer holds ${spans} yet: the speed layer no longer keeps it and the batch views do not cover it. Choose a shorter range, or run the batch job for those days.`
      : said;
    return new ApiError('not-covered', message, 503, { missing, watermark: body.details?.watermark ?? null, serverMessage: said });
  }
  if (response.status >= 500 || response.status === 429) return new ApiError('server', `The analytics API answered ${response.status}: ${said}`, response.status);
  return new ApiError('bad-request', said, response.status);
}

/** POST or DELETE with a JSON body (and `params` in the URL); resolves the JSON answer (null for 204), rejects with an ApiError. */
export async function sendJson(method, path, body, key, params = {}) {
  let response;
  try {
    response = await fetch(apiUrl(path, params), {
      method,
      headers: { ...authHeaders(key), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError('network', 'Cannot reach the analytics API.');
  }
  if (!response.ok) throw await errorFrom(response);
  return response.status === 204 ? null : response.json();
}
