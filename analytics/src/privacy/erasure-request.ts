import { createHash } from 'node:crypto';
import type { ObjectStore } from '../storage/index.ts';
import { sortIdentities, type ErasedIdentity } from './identity-digest.ts';

/*
 * The erasure list, in the lake next to the data it governs: one object per request,
 *   erasures/tenant=<tenantId>/<requestId>.json
 * One object per request (not one list per tenant) so two requests never race on a
 * read-modify-write. A request is written when it is received (status `pending`, with the
 * digests of the ids it names), again as each step of `erasePerson` completes, and a last time
 * with status `done` and its counts. Digests only: the list itself holds no personal id.
 */
export const ERASURES_PREFIX = 'erasures/';

export const erasureTenantPrefix = (tenantId: string): string => `${ERASURES_PREFIX}tenant=${encodeURIComponent(tenantId)}/`;
export const erasureKey = (tenantId: string, requestId: string): string => `${erasureTenantPrefix(tenantId)}${requestId}.json`;

export type ErasureStatus = 'pending' | 'done';

/** What a finished request did, summed over the runs that completed it. */
export interface ErasureCounts {
  /** Digests the erasure covers: the ids asked for plus the linked ones found in the raw store. */
  identities: number;
  /** Raw objects read by the last rewrite pass. */
  objectsScanned: number;
  /** Raw objects rewritten or deleted because they held the person's lines. */
  objectsRewritten: number;
  /** Of those, objects that held nothing else and were deleted. */
  objectsDeleted: number;
  linesRemoved: number;
  /** Batch views recomputed (tenant-days that had a view). */
  datesRecomputed: number;
}

export interface ErasureRequest {
  version: 1;
  id: string;
  tenantId: string;
  requestedAt: string;
  status: ErasureStatus;
  identities: ErasedIdentity[];
  /** Set once the linked anonymous ids were added to `identities` (a rerun must not search again: the links may be erased by then). */
  expandedAt?: string;
  /** Raw objects the rewrite changes, with the lines it removes; recorded BEFORE each object is written, so a crash loses none. */
  rewritten: Record<string, { lines: number; deleted: boolean }>;
  /** UTC dates whose batch views may have counted the removed lines. */
  dates: string[];
  rewrittenAt?: string;
  objectsScanned?: number;
  recomputedDates?: string[];
  recomputedAt?: string;
  speedRebuiltAt?: string;
  completedAt?: string;
  counts?: ErasureCounts;
}

/** The same tenant and ids always give the same request id, so a rerun finds (and resumes) its request. */
export function erasureRequestId(tenantId: string, identities: readonly ErasedIdentity[]): string {
  const text = [tenantId, ...sortIdentities(identities).map((i) => `${i.kind}:${i.digest}`)].join('\n');
  return `er-${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
}

export class ErasureRequestCorruptError extends Error {
  constructor(key: string, detail: string) {
    super(`erasure request ${key} is unreadable: ${detail}`);
    this.name = 'ErasureRequestCorruptError';
  }
}

const DIGEST = /^[0-9a-f]{64}$/;

function parseRequest(key: string, bytes: Uint8Array): ErasureRequest {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    throw new ErasureRequestCorruptError(key, 'not JSON');
  }
  const request = value as Partial<ErasureRequest> | null;
  if (
    !request ||
    request.version !== 1 ||
    typeof request.id !== 'string' ||
    typeof request.tenantId !== 'string' ||
    (request.status !== 'pending' && request.status !== 'done') ||
    !Array.isArray(request.identities) ||
    !request.identities.every((i) => (i?.kind === 'user' || i?.kind === 'anonymous') && typeof i.digest === 'string' && DIGEST.test(i.digest))
  ) {
    throw new ErasureRequestCorruptError(key, 'not an erasure request');
  }
  return { rewritten: {}, dates: [], ...request } as ErasureRequest;
}

export async function readErasureRequest(store: ObjectStore, tenantId: string, requestId: string): Promise<ErasureRequest | null> {
  const key = erasureKey(tenantId, requestId);
  const bytes = await store.get(key);
  return bytes === null ? null : parseRequest(key, bytes);
}

export async function writeErasureRequest(store: ObjectStore, request: ErasureRequest): Promise<void> {
  await store.put(erasureKey(request.tenantId, request.id), `${JSON.stringify(request, null, 2)}\n`);
}

const STEPS = ['expandedAt', 'rewrittenAt', 'recomputedAt', 'speedRebuiltAt', 'completedAt'] as const;

/**
 * Writes `request` merged with what is stored, and updates `request` to the merge. Two workers on
 * one request (the app's runner and `npm run erase -- --run-here`, or two runners) never lose
 * each other's work: identities, dates and rewritten objects are unions, a recorded step stays
 * recorded, done stays done. Only identities matter for safety (a person's id that drops out of
 * the list would be archived and counted again); the rest is bookkeeping.
 */
export async function saveErasureRequest(store: ObjectStore, request: ErasureRequest): Promise<void> {
  // A damaged stored copy is replaced; any other read failure fails the save (written unmerged, it could drop the other's ids).
  const stored = await readErasureRequest(store, request.tenantId, request.id).catch((error: unknown) => {
    if (error instanceof ErasureRequestCorruptError) return null;
    throw error;
  });
  if (stored) {
    request.identities = sortIdentities([...stored.identities, ...request.identities]);
    request.dates = [...new Set([...stored.dates, ...request.dates])].sort();
    request.rewritten = { ...stored.rewritten, ...request.rewritten };
    for (const step of STEPS) if (stored[step] && !request[step]) request[step] = stored[step];
    if (stored.status === 'done') {
      request.status = 'done';
      request.counts ??= stored.counts;
    }
  }
  await writeErasureRequest(store, request);
}

/** Reads one request object by key (the watcher reads by key). */
export async function readErasureRequestAt(store: ObjectStore, key: string): Promise<ErasureRequest | null> {
  const bytes = await store.get(key);
  return bytes === null ? null : parseRequest(key, bytes);
}

/**
 * Records an erasure request, or returns the one already recorded for the same tenant and ids.
 * From the moment this resolves, consumers that watch the list (the archiver, the speed layer)
 * start leaving the person out.
 *
 * @example
 * const request = await recordErasure(store, 'acme', erasedIdentities('acme', { userIds: ['u-42'] }));
 */
export async function recordErasure(
  store: ObjectStore,
  tenantId: string,
  identities: readonly ErasedIdentity[],
  now: () => Date = () => new Date(),
): Promise<ErasureRequest> {
  if (identities.length === 0) throw new RangeError('An erasure needs at least one identity');
  const id = erasureRequestId(tenantId, identities);
  const existing = await readErasureRequest(store, tenantId, id);
  if (existing) return existing;
  const request: ErasureRequest = {
    version: 1,
    id,
    tenantId,
    requestedAt: now().toISOString(),
    status: 'pending',
    identities: sortIdentities(identities),
    rewritten: {},
    dates: [],
  };
  await writeErasureRequest(store, request);
  return request;
}

/**
 * Every erasure request (of one tenant, or all), oldest first, with its status and counts. An
 * unreadable request object throws `ErasureRequestCorruptError`, unless `onUnreadable` is given:
 * then it is reported and skipped.
 *
 * @example
 * const pending = (await listErasureRequests(store, 'acme')).filter((r) => r.status === 'pending');
 */
export async function listErasureRequests(
  store: ObjectStore,
  tenantId?: string,
  options: { onUnreadable?: (key: string, error: ErasureRequestCorruptError) => void } = {},
): Promise<ErasureRequest[]> {
  const keys = await store.list(tenantId === undefined ? ERASURES_PREFIX : erasureTenantPrefix(tenantId));
  const requests: ErasureRequest[] = [];
  for (const key of keys) {
    if (!key.endsWith('.json')) continue;
    let request: ErasureRequest | null;
    try {
      request = await readErasureRequestAt(store, key);
    } catch (error) {
      // Consumers that decide who is erased must fail closed; the runner and the list route skip and report.
      if (!(error instanceof ErasureRequestCorruptError) || !options.onUnreadable) throw error;
      options.onUnreadable(key, error);
      continue;
    }
    if (request) requests.push(request);
  }
  return requests.sort((a, b) => (a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : a.id < b.id ? -1 : 1));
}
