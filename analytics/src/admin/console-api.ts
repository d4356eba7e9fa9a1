import type { FastifyInstance } from 'fastify';
import type { TenantUsage } from './tenant-usage.ts';

/** The admin API's answers as the console reads them. */
export interface TenantView {
  id: string;
  name: string;
  timeZone: string;
  createdAt: string;
  dailyQuota: number;
  rateLimitPerSecond: number;
  maxEventAgeDays?: number;
}
export interface KeyView {
  id: string;
  kind: 'write' | 'read' | 'share';
  hint: string;
  label?: string;
  createdAt: string;
  revokedAt?: string;
  /** Share keys: refused from this instant. */
  expiresAt?: string;
}
export interface ErasureView {
  id: string;
  status: 'pending' | 'done';
  requestedAt: string;
  identities: number;
  steps: { expandedAt?: string; rewrittenAt?: string; recomputedAt?: string; speedRebuiltAt?: string };
  completedAt?: string;
  counts?: Record<string, number>;
}
export type { TenantUsage };

/** An answer of the admin API: its body on success, its error (code, message, field details) otherwise. */
export type ApiAnswer<T> = { ok: true; status: number; body: T } | { ok: false; status: number; error: ApiError };
export interface ApiError {
  error: string;
  message: string;
  details?: Array<{ field?: string; message?: string }>;
}

export type ConsoleApi = <T>(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => Promise<ApiAnswer<T>>;

/**
 * The console is a client of the admin HTTP API, in process: each call goes through the API's
 * routes (validation, errors, rate limit) with the admin token, so the pages show exactly what
 * the API answers and can do nothing the API does not allow.
 */
export function consoleApi(app: FastifyInstance, adminToken: string): ConsoleApi {
  return async <T>(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object): Promise<ApiAnswer<T>> => {
    const res = await app.inject({ method, url, ...(payload ? { payload } : {}), headers: { authorization: `Bearer ${adminToken}` } });
    const body = res.body ? (JSON.parse(res.body) as unknown) : undefined;
    return res.statusCode < 400 ? { ok: true, status: res.statusCode, body: body as T } : { ok: false, status: res.statusCode, error: body as ApiError };
  };
}

/**
 * The API's field details as messages per form field: `body.timeZone` is the `timeZone` field and
 * `body.anonymousIds.2` the `anonymousIds` field. Fields no form shows stay in `rest`.
 */
export function fieldErrors(error: ApiError, fields: readonly string[]): { byField: Record<string, string>; rest: string[] } {
  const byField: Record<string, string> = {};
  const rest: string[] = [];
  for (const d of Array.isArray(error.details) ? error.details : []) {
    const name = String(d.field ?? '').split('.')[1] ?? '';
    const message = d.message ?? 'is not valid';
    if (fields.includes(name)) byField[name] = byField[name] ? `${byField[name]}; ${message}` : message;
    else rest.push(message);
  }
  if (Object.keys(byField).length === 0 && rest.length === 0) rest.push(error.message);
  return { byField, rest };
}
