/**
 * The write key of an ingest request, as Segment clients send it: the HTTP Basic user
 * (password empty), or `writeKey` in the body. `undefined` when absent; `null` when an
 * Authorization header is there but is not Basic auth we can read.
 */
export function readWriteKey(authorization: string | undefined, body: unknown): string | undefined | null {
  if (authorization) {
    const match = /^Basic\s+([A-Za-z0-9+/=_-]{1,400})$/i.exec(authorization.trim());
    if (!match?.[1]) return null;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const user = decoded.split(':', 1)[0] ?? '';
    return user || null;
  }
  if (typeof body === 'object' && body !== null && 'writeKey' in body) {
    const key = (body as { writeKey: unknown }).writeKey;
    return typeof key === 'string' && key ? key : null;
  }
  return undefined;
}
