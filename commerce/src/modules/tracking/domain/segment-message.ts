/**
 * One message of the Segment Tracking API as this shop sends it (`/v1/batch`). Plain JSON:
 * it is spooled as is in `tracking.outbox` and sent unchanged, so a redelivery carries the
 * same `messageId` and the collector deduplicates it.
 */
export interface SegmentMessage {
  messageId: string;
  type: 'track' | 'page';
  /** Track events only, e.g. `Product Viewed`. */
  event?: string;
  /** Page calls only. */
  name?: string;
  userId?: string;
  anonymousId: string;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  /** When it happened (ISO 8601); the collector corrects it with the batch's `sentAt`. */
  timestamp: string;
}

/** The `context.library` of every message, so the collector's data says which code sent it. */
export const LIBRARY = { name: 'shop-commerce-tracking', version: '1.0.0' } as const;

/**
 * Segment amounts are decimals in major units (`revenue: 12.5` for 12.50 EUR); the shop keeps
 * integer minor units. The currency decides the exponent (JPY has none, KWD three).
 *
 * @example
 * toMajorUnits(1250, 'EUR') // 12.5
 */
export function toMajorUnits(minor: number, currency: string): number {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown code keeps the common exponent rather than failing the event.
  }
  return Number((minor / 10 ** digits).toFixed(digits));
}
