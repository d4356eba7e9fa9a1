import type { ObjectStore } from '../storage/index.ts';
import { recomputeViews } from './batch-recompute.ts';
import { createErasureMatcher, erasedIdentities, type ErasureCounts, type ErasureMatcher, type ErasureRequest, loadErasures, readErasureRequest, recordErasure, saveErasureRequest, sortIdentities } from '../privacy/index.ts';
import { expandIdentities } from './identity-expansion.ts';
import { eraseFromRawStore, type RawRewriteReport } from './raw-rewrite.ts';

export interface ErasePersonOptions {
  /** The lake: raw store, batch views and the erasure list. */
  store: ObjectStore;
  tenantId: string;
  userId?: string;
  anonymousIds?: readonly string[];
  /**
   * Purges and rebuilds the tenant's speed-layer buckets from the log without the erased
   * (the speed module's `rebuildTenantSpeed`). The matcher holds EVERY erasure of the tenant:
   * the log still carries earlier erased people too. Without it the speed buckets keep the
   * person until they age out; the request is marked done all the same.
   */
  rebuildSpeed?: (tenantId: string, matcher: ErasureMatcher) => Promise<unknown>;
  now?: () => Date;
  /** The batch's grace (must be the scheduled batch's). Default: runBatch's. */
  graceMs?: number;
  /** Raw objects read at once. Default 4. */
  concurrency?: number;
  threads?: number;
  tempDir?: string;
  /** Checked before each step: an aborted run stops there (the request resumes from it later). */
  signal?: AbortSignal;
  /** Told as each step completes (for logs and CLIs). */
  onStep?: (step: 'recorded' | 'expanded' | 'rewritten' | 'recomputed' | 'speed rebuilt' | 'done', request: ErasureRequest) => void;
}

export interface ErasePersonResult {
  request: ErasureRequest;
  /** The request was already done: nothing was read or written. */
  alreadyDone: boolean;
  /** This run's raw pass, when it ran one. */
  rewrite?: RawRewriteReport;
}

/**
 * Erases one person from a tenant's lake-side data (GDPR art. 17):
 *  1. records the request (digests of the given ids) FIRST, so that the archiver and the speed
 *     layer, which watch the list, stop taking the person in from then on;
 *  2. adds the anonymousIds the raw events link to the person (identify, alias, events carrying
 *     both ids) and records them too;
 *  3. rewrites the raw objects holding their lines (same keys, atomic puts), recording each
 *     object's change before writing it;
 *  4. recomputes the batch views of the affected tenant-days that have one;
 *  5. rebuilds the tenant's speed buckets through `rebuildSpeed`;
 *  6. marks the request done with its counts.
 * Every step is recorded in the request, so a run that died halfway is completed by running
 * it again with the same ids (the request id is derived from them); a rerun of a done request
 * does nothing.
 *
 * @example
 * const { request } = await erasePerson({ store, tenantId: 'acme', userId: 'u-42', rebuildSpeed: (t, m) => rebuildTenantSpeed({ log, store: aggregates, tenantId: t, exclude: m.isErased }) });
 * console.log(request.counts); // { identities: 3, objectsRewritten: 12, linesRemoved: 57, ... }
 */
export async function erasePerson(options: ErasePersonOptions): Promise<ErasePersonResult> {
  const { store, tenantId } = options;
  const plain = { userIds: options.userId ? [options.userId] : [], anonymousIds: options.anonymousIds ?? [] };
  const given = erasedIdentities(tenantId, plain);
  if (given.length === 0) throw new RangeError('erasePerson needs a userId or at least one anonymousId');

  const request = await recordErasure(store, tenantId, given, options.now);
  if (request.status === 'done') return { request, alreadyDone: true };
  options.onStep?.('recorded', request);
  return runSteps(request, options, plain);
}

export type ResumeErasureOptions = Omit<ErasePersonOptions, 'tenantId' | 'userId' | 'anonymousIds'>;

/**
 * Completes a recorded request from wherever its last run stopped, knowing the person only by
 * the digests the request holds (the list keeps no plain id): what `erasePerson` does after
 * recording, for requests taken in by the admin API or left pending by a crash.
 *
 * @example
 * for (const request of await listErasureRequests(store)) if (request.status === 'pending') await resumeErasure(request, { store });
 */
export async function resumeErasure(request: ErasureRequest, options: ResumeErasureOptions): Promise<ErasePersonResult> {
  // The stored state, not the caller's copy: another worker may have moved it on meanwhile.
  const current = (await readErasureRequest(options.store, request.tenantId, request.id)) ?? request;
  if (current.status === 'done') return { request: current, alreadyDone: true };
  return runSteps(current, { ...options, tenantId: current.tenantId }, null);
}

/** Steps 2-6 on a recorded request; `plain` is null when only the digests are known. */
async function runSteps(
  request: ErasureRequest,
  options: ErasePersonOptions,
  plain: { userIds: string[]; anonymousIds: readonly string[] } | null,
): Promise<ErasePersonResult> {
  const { store, tenantId } = options;
  const now = options.now ?? (() => new Date());
  // Writes of the request are serialized; each writes its latest state.
  let saving: Promise<void> = Promise.resolve();
  const save = () => (saving = saving.then(() => saveErasureRequest(store, request)));
  const step = (done: string | undefined) => {
    options.signal?.throwIfAborted();
    return !done;
  };

  if (step(request.expandedAt)) {
    const expanded = await expandIdentities({
      store,
      tenantId,
      ...(plain ?? { identities: request.identities }),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    });
    request.identities = sortIdentities([...request.identities, ...erasedIdentities(tenantId, expanded)]);
    request.expandedAt = now().toISOString();
    await save();
    options.onStep?.('expanded', request);
  }

  let rewrite: RawRewriteReport | undefined;
  if (step(request.rewrittenAt)) {
    rewrite = await eraseFromRawStore({
      store,
      tenantId,
      matcher: createErasureMatcher([request]),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      beforeWrite: (change) => {
        request.rewritten[change.key] = { lines: change.linesRemoved, deleted: change.deleted };
        request.dates = [...new Set([...request.dates, ...change.dates])].sort();
        return save();
      },
    });
    request.objectsScanned = rewrite.objectsScanned;
    request.rewrittenAt = now().toISOString();
    await save();
    options.onStep?.('rewritten', request);
  }

  if (step(request.recomputedAt)) {
    const { recomputed } = await recomputeViews({
      store,
      tenantId,
      dates: request.dates,
      now: now(),
      ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
      ...(options.tempDir !== undefined ? { tempDir: options.tempDir } : {}),
    });
    request.recomputedDates = recomputed;
    request.recomputedAt = now().toISOString();
    await save();
    options.onStep?.('recomputed', request);
  }

  if (options.rebuildSpeed && step(request.speedRebuiltAt)) {
    await options.rebuildSpeed(tenantId, await loadErasures(store, tenantId));
    request.speedRebuiltAt = now().toISOString();
    await save();
    options.onStep?.('speed rebuilt', request);
  }

  request.status = 'done';
  request.completedAt = now().toISOString();
  request.counts = countsOf(request);
  await save();
  options.onStep?.('done', request);
  return { request, alreadyDone: false, ...(rewrite ? { rewrite } : {}) };
}

function countsOf(request: ErasureRequest): ErasureCounts {
  const changes = Object.values(request.rewritten);
  return {
    identities: request.identities.length,
    objectsScanned: request.objectsScanned ?? 0,
    objectsRewritten: changes.length,
    objectsDeleted: changes.filter((c) => c.deleted).length,
    linesRemoved: changes.reduce((n, c) => n + c.lines, 0),
    datesRecomputed: request.recomputedDates?.length ?? 0,
  };
}
