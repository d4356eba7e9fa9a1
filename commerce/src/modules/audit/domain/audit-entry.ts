/** One recorded admin action, as stored and as read back. */
export interface AuditEntry {
  id: string;
  actorId: string;
  actorRole: string;
  action: string;
  subjectType: string;
  subjectId: string;
  summary: string;
  before: unknown;
  after: unknown;
  createdAt: Date;
}

export interface AuditFilter {
  actorId?: string | undefined;
  /** An exact action (`product.update`) or a prefix ending in a dot (`product.`). */
  action?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export const ACTION_PATTERN = /^[a-z][a-z_]{0,39}\.[a-z][a-z_]{0,39}$/;

/** Before/after are kept whole up to this size; larger ones are cut to a note (a product's description can be 20 KB). */
export const MAX_STATE_BYTES = 64 * 1024;

export function boundedState(state: unknown): unknown {
  if (state === undefined) return null;
  const text = JSON.stringify(state);
  if (text === undefined) return null;
  return Buffer.byteLength(text) <= MAX_STATE_BYTES ? state : { truncated: true, bytes: Buffer.byteLength(text) };
}
