/** What a claim found for one messageId. */
export type ClaimState =
  /** Not seen: the caller now holds a pending claim and must commit or release it. */
  | 'new'
  /** Another request holds a pending claim: it may still fail, so this is not a duplicate yet. */
  | 'pending'
  /** Durably appended before: a true duplicate. */
  | 'committed';

/**
 * `messageId` deduplication per tenant, in two phases so a log failure never loses an event:
 * `claim` marks ids pending with a short TTL, `commit` (after the log append resolved)
 * keeps them for the dedup window, `release` (after a failed append) forgets them so the
 * client's retry is accepted. A crash between claim and commit leaves pending marks that
 * expire after `pendingMs`, after which a retry is accepted.
 * Adapters: in-process (bounded) and Redis. One contract suite covers both.
 */
export interface DedupStore {
  /** One state per id, in order. Ids repeated within the call: the first is `new`, the rest `pending`. */
  claim(tenantId: string, messageIds: string[], pendingMs: number): Promise<ClaimState[]>;
  commit(tenantId: string, messageIds: string[], windowMs: number): Promise<void>;
  /** Drops pending claims only: an id committed meanwhile stays a duplicate. */
  release(tenantId: string, messageIds: string[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
