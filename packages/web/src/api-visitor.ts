/** The API's error body, kept whole so pages can show a field's message next to the field. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * One browser's visit as the API sees it: the cookies it sent (session, csrf, cart token) and
 * the cookies the API sets on the way back. Every data function takes it, so identity travels the
 * same way for every call, as in Medusa's starter `cookies.ts`.
 */
export class ApiVisitor {
  readonly setCookies: string[] = [];
  constructor(
    readonly cookies: Record<string, string>,
    readonly locale: string,
    protected readonly forwardedFor: string,
  ) {}

  get signedIn(): boolean {
    return Boolean(this.cookies.sid);
  }

  /** Headers that carry the visitor to the API; unsafe calls with a session also pass its CSRF check. */
  headers(unsafe = false): Record<string, string> {
    const cookie = Object.entries(this.cookies)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('; ');
    return {
      ...(cookie ? { cookie } : {}),
      ...(unsafe && this.cookies.csrf_token ? { 'x-csrf-token': this.cookies.csrf_token } : {}),
      'accept-language': this.locale,
      'x-forwarded-for': this.forwardedFor,
    };
  }

  /** Keeps the cookies an answer sets, for the browser and for the next call of this same visit. */
  absorb(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = decodeURIComponent(pair!.slice(eq + 1).trim());
      const expired = /max-age=0|expires=thu, 01 jan 1970/i.test(line);
      if (expired || value === '') delete this.cookies[name];
      else this.cookies[name] = value;
    }
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful answer; an `ApiError` carrying the API's code and message otherwise. */
export async function expectOk<T>(visitor: ApiVisitor, call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  visitor.absorb(response);
  if (response.ok && data !== undefined) return data;
  throw toApiError(response.status, error);
}

/** `null` for a 404, the data otherwise. */
export async function okOrNull<T>(visitor: ApiVisitor, call: Promise<Answer<T>>): Promise<T | null> {
  try {
    return await expectOk(visitor, call);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 400)) return null;
    throw e;
  }
}

export function toApiError(status: number, error: unknown): ApiError {
  const body = (error ?? {}) as { error?: string; message?: string; details?: unknown };
  return new ApiError(status, body.error ?? 'UNKNOWN', body.message ?? `The shop answered ${status}`, body.details);
}
