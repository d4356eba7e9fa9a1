import type { Logger } from 'pino';
import type { AnalyticsEvent, EventType } from '../contracts/index.ts';
import type { EventLog } from '../log/index.ts';
import type { Tenant } from '../tenants/index.ts';
import type { CollectorMetrics } from './collector-metrics.ts';
import type { Duplicate, Rejection, RejectionCode } from './collector.errors.ts';
import type { DedupStore } from './dedup-store.ts';
import type { QuotaCounter } from './quota-counter.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { tenantDay } from '../calendar/index.ts';
import { DEFAULT_MAX_EVENT_AGE_DAYS } from './event-time-bounds.ts';
import { toAnalyticsEvent, type RequestContext } from './to-analytics-event.ts';
import { utcDay, type DailySaltStore } from './cookieless/daily-salt-store.ts';
import type { Enricher } from './enrichment/enrich-event.ts';

export interface IngestLimits {
  maxEventBytes: number;
  /** Oldest acceptable event (days before receipt) for a tenant without its own setting. */
  maxEventAgeDays?: number;
  /** How long a messageId is remembered once appended (at least 24 h). */
  dedupWindowMs: number;
  /** How long a claim lives before its append; longer than the slowest append. */
  pendingClaimMs: number;
}

export interface IngestDeps {
  log: EventLog;
  dedup: DedupStore;
  rateLimiter: RateLimiter;
  quota: QuotaCounter;
  metrics: CollectorMetrics;
  limits: IngestLimits;
  logger: Logger;
  now?: () => Date;
  /** Fills every event's `dimensions` before the append, so both layers read the same values. */
  enrich?: Enricher;
  /** When given, cookieless messages get a daily visitor id (see the tracking script). */
  salts?: DailySaltStore;
}

export interface IngestOutcome {
  accepted: number;
  duplicates: Duplicate[];
  rejected: Rejection[];
  /** Set when some rejection is retryable: resend the whole request after this long. */
  retryAfterSeconds?: number;
}

interface Candidate {
  index: number;
  messageId: string;
  event: AnalyticsEvent;
}

export type IngestRequest = Omit<RequestContext, 'tenantId' | 'receivedAt' | 'maxEventBytes' | 'maxEventAgeDays' | 'enrich' | 'visitorSalt'>;

/**
 * The collector's one use case: validate, deduplicate, check rate and quota, append
 * durably, then remember the ids. Every event ends up accepted, a duplicate, or rejected
 * with a code; none is dropped unreported. Ordering matters for durability: ids are only
 * claimed (pending) before the append and committed after it, and a failed append or a
 * limit releases the claims, so a retry is never mistaken for a duplicate.
 */
export function createIngest(deps: IngestDeps) {
  const now = deps.now ?? (() => new Date());

  return async function ingest(tenant: Tenant, raws: unknown[], routeType: EventType | undefined, request: IngestRequest): Promise<IngestOutcome> {
    const receivedAt = now();
    const rejected: Rejection[] = [];
    const duplicates: Duplicate[] = [];
    const maxEventAgeDays = tenant.maxEventAgeDays ?? deps.limits.maxEventAgeDays ?? DEFAULT_MAX_EVENT_AGE_DAYS;
    let visitorSalt: Buffer | undefined;
    try {
      visitorSalt = deps.salts ? await deps.salts.saltFor(utcDay(receivedAt).day) : undefined;
    } catch (error) {
      deps.logger.error({ err: error, tenant: tenant.id }, 'visitor salt store failed');
      for (const [index] of raws.entries()) rejected.push({ index, code: 'UNAVAILABLE', reason: 'a collector dependency is unavailable; nothing was stored, resend' });
      deps.metrics.rejected.inc({ tenant: tenant.id, reason: 'UNAVAILABLE' }, raws.length);
      return { accepted: 0, duplicates: [], rejected, retryAfterSeconds: 1 };
    }
    const context: RequestContext = {
      ...request,
      tenantId: tenant.id,
      receivedAt,
      maxEventBytes: deps.limits.maxEventBytes,
      maxEventAgeDays,
      ...(deps.enrich ? { enrich: deps.enrich } : {}),
      ...(visitorSalt ? { visitorSalt } : {}),
    };
    const reject = (items: { index: number; messageId?: string }[], code: RejectionCode, reason: string) => {
      for (const { index, messageId } of items) rejected.push({ index, ...(messageId ? { messageId } : {}), code, reason });
    };

    // 1. Shape, size and the canonical form; a repeated id within the request is a duplicate.
    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    raws.forEach((raw, index) => {
      const result = toAnalyticsEvent(raw, routeType, index, context);
      if (!result.ok) return void rejected.push(result.rejection);
      const { messageId } = result.event;
      if (seen.has(messageId)) return void duplicates.push({ index, messageId });
      seen.add(messageId);
      candidates.push({ index, messageId, event: result.event });
    });

    const finish = (retryAfterSeconds?: number): IngestOutcome => {
      const accepted = raws.length - rejected.length - duplicates.length;
      if (duplicates.length) deps.metrics.duplicates.inc({ tenant: tenant.id }, duplicates.length);
      for (const r of rejected) deps.metrics.rejected.inc({ tenant: tenant.id, reason: r.code });
      rejected.sort((a, b) => a.index - b.index);
      return { accepted, duplicates, rejected, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) } : {}) };
    };
    if (candidates.length === 0) return finish();
    // Only ids this request claimed may be released: the others belong to other requests.
    let claimed: string[] = [];
    try {
      return await admit(candidates);
    } catch (error) {
      // Dedup, rate or quota store down: the client should retry, not lose its events.
      deps.logger.error({ err: error, tenant: tenant.id }, 'collector dependency failed');
      await deps.dedup.release(tenant.id, claimed).catch(() => undefined);
      rejected.length = 0;
      duplicates.length = 0;
      for (const [index, raw] of raws.entries()) {
        const result = toAnalyticsEvent(raw, routeType, index, context);
        if (!result.ok) rejected.push(result.rejection);
        else reject([{ index, messageId: result.event.messageId }], 'UNAVAILABLE', 'a collector dependency is unavailable; nothing was stored, resend');
      }
      return finish(1);
    }

    async function admit(candidates: Candidate[]): Promise<IngestOutcome> {
      // 2. Dedup claims: committed = seen before; pending = another request is writing it now.
      const states = await deps.dedup.claim(tenant.id, candidates.map((c) => c.messageId), deps.limits.pendingClaimMs);
      let retryAfter: number | undefined;
      const inFlight = candidates.filter((_, i) => states[i] === 'pending');
      for (const [i, c] of candidates.entries()) if (states[i] === 'committed') duplicates.push({ index: c.index, messageId: c.messageId });
      if (inFlight.length) {
        reject(inFlight, 'IN_FLIGHT', 'this messageId is being written by another request; resend shortly');
        retryAfter = 1;
      }
      candidates = candidates.filter((_, i) => states[i] === 'new');
      claimed = candidates.map((c) => c.messageId);
      const release = (items: { messageId: string }[]) => deps.dedup.release(tenant.id, items.map((c) => c.messageId));
      if (candidates.length === 0) return finish(retryAfter);

      // 3. Rate: the request's new events get in together or not at all.
      const rate = await deps.rateLimiter.take(tenant.id, candidates.length, tenant.rateLimitPerSecond, tenant.rateLimitPerSecond);
      if (!rate.allowed) {
        await release(candidates);
        reject(candidates, 'RATE_LIMITED', `tenant ${tenant.id} is limited to ${tenant.rateLimitPerSecond} events/s`);
        return finish(Math.max(retryAfter ?? 0, rate.retryAfterMs / 1000));
      }

      // 4. Quota: what still fits today (tenant's day) is taken, the rest is named.
      const { day, secondsLeft } = tenantDay(receivedAt, tenant.timeZone);
      const granted = await deps.quota.consume(tenant.id, day, candidates.length, tenant.dailyQuota);
      if (granted < candidates.length) {
        const over = candidates.slice(granted);
        await release(over);
        reject(over, 'QUOTA_EXCEEDED', `tenant ${tenant.id} used its daily quota of ${tenant.dailyQuota} events (${tenant.timeZone} day ${day})`);
        retryAfter = Math.max(retryAfter ?? 0, secondsLeft);
        candidates = candidates.slice(0, granted);
        if (candidates.length === 0) return finish(retryAfter);
      }

      // 5. Durable append, then the ids are remembered for the dedup window.
      try {
        await deps.log.append(candidates.map((c) => ({ key: tenant.id, value: c.event })));
      } catch (error) {
        deps.logger.error({ err: error, tenant: tenant.id, events: candidates.length }, 'event log append failed');
        await Promise.allSettled([release(candidates), deps.quota.refund(tenant.id, day, candidates.length)]);
        reject(candidates, 'LOG_UNAVAILABLE', 'the event log did not confirm the write; nothing was stored, resend');
        return finish(Math.max(retryAfter ?? 0, 1));
      }
      await deps.dedup.commit(tenant.id, candidates.map((c) => c.messageId), deps.limits.dedupWindowMs).catch((error: unknown) => {
        // The events are durable; an uncommitted claim only lapses, so a later retry may duplicate.
        deps.logger.warn({ err: error, tenant: tenant.id }, 'dedup commit failed');
      });
      deps.metrics.accepted.inc({ tenant: tenant.id }, candidates.length);
      const bots = candidates.filter((c) => c.event.isBot).length;
      if (bots) deps.metrics.bots.inc({ tenant: tenant.id }, bots);
      return finish(retryAfter);
    }
  };
}

export type Ingest = ReturnType<typeof createIngest>;
