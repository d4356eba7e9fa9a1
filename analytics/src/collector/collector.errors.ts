/**
 * Why the collector did not accept an event, with a stable code a client may branch on.
 * Permanent codes mean "do not resend as is"; retryable ones come with a 429 or 503 and a
 * Retry-After, and resending the whole request is safe because of messageId dedup.
 * The api layer alone decides the HTTP status.
 */
export type RejectionCode =
  | 'INVALID_EVENT'
  | 'EVENT_TOO_LARGE'
  | 'EVENT_TOO_OLD'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'IN_FLIGHT'
  | 'LOG_UNAVAILABLE'
  | 'UNAVAILABLE';

export const RETRYABLE: ReadonlySet<RejectionCode> = new Set(['RATE_LIMITED', 'QUOTA_EXCEEDED', 'IN_FLIGHT', 'LOG_UNAVAILABLE', 'UNAVAILABLE']);

export interface Rejection {
  /** Position in the request's batch (0 for single-event routes). */
  index: number;
  messageId?: string;
  code: RejectionCode;
  reason: string;
}

/** A messageId seen before: not appended again, and not an error either. */
export interface Duplicate {
  index: number;
  messageId: string;
}
