/** A tenant created through the admin API, with one write and one read key. */
export interface TenantKeys {
  id: string;
  writeKey: string;
  readKey: string;
}

/** What `/v1/batch` said about one request. */
export interface BatchAnswer {
  status: number;
  accepted: number;
  duplicates: number;
  rejected: { code: string; reason: string }[];
}

export interface QueryAnswer {
  value: number;
  watermark: string | null;
  layers: { from: string; to: string; layer: 'batch' | 'speed' }[];
}

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

async function adminPost(apiUrl: string, adminToken: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/**
 * POST /admin/tenants, then a write and a read key: what an operator does for a new customer.
 *
 * @example
 * const acme = await createTenantWithKeys(api.url, adminToken, 'acme');
 */
export async function createTenantWithKeys(apiUrl: string, adminToken: string, id: string): Promise<TenantKeys> {
  await adminPost(apiUrl, adminToken, '/admin/tenants', { id, name: `Scale-out ${id}`, timeZone: 'UTC' });
  const write = await adminPost(apiUrl, adminToken, `/admin/tenants/${id}/keys`, { kind: 'write', label: 'scale-out' });
  const read = await adminPost(apiUrl, adminToken, `/admin/tenants/${id}/keys`, { kind: 'read', label: 'scale-out' });
  return { id, writeKey: String(write.plainKey), readKey: String(read.plainKey) };
}

export async function postBatch(apiUrl: string, writeKey: string, body: unknown): Promise<BatchAnswer> {
  const res = await fetch(`${apiUrl}/v1/batch`, {
    method: 'POST',
    headers: { authorization: basic(writeKey), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { accepted?: number; duplicates?: unknown[]; rejected?: { code: string; reason: string }[] };
  return { status: res.status, accepted: json.accepted ?? 0, duplicates: json.duplicates?.length ?? 0, rejected: json.rejected ?? [] };
}

/**
 * Sends `body` as a Segment library would: a 503 (here: IN_FLIGHT, the other node is writing the
 * same messageIds right now) is resent until the node answers 200. `accepted` sums every attempt,
 * so it counts what this node stored, never what it only recognised as a duplicate.
 */
export async function deliver(apiUrl: string, writeKey: string, body: unknown, timeoutMs = 30_000): Promise<{ accepted: number; attempts: number; last: BatchAnswer }> {
  const deadline = Date.now() + timeoutMs;
  let accepted = 0;
  for (let attempts = 1; ; attempts++) {
    const last = await postBatch(apiUrl, writeKey, body);
    accepted += last.accepted;
    if (last.status === 200) return { accepted, attempts, last };
    if (last.status !== 503 || Date.now() > deadline) throw new Error(`${apiUrl}/v1/batch answered ${last.status}: ${JSON.stringify(last.rejected.slice(0, 2))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * `/v1/query` with a read key; the total over the range.
 *
 * @example
 * const { value } = await queryTotal(api.url, readKey, { metric: 'pageviews', granularity: 'day', from: '2026-03-09', to: '2026-03-10', tz: 'UTC' });
 */
export async function queryTotal(apiUrl: string, readKey: string, params: Record<string, string>): Promise<QueryAnswer> {
  const res = await fetch(`${apiUrl}/v1/query?${new URLSearchParams(params)}`, { headers: { authorization: `Bearer ${readKey}` } });
  if (!res.ok) throw new Error(`${apiUrl}/v1/query ${JSON.stringify(params)}: ${res.status} ${await res.text()}`);
  const json = (await res.json()) as { total: { value: number }; watermark?: string | null; layers?: QueryAnswer['layers'] };
  return { value: json.total.value, watermark: json.watermark ?? null, layers: json.layers ?? [] };
}
