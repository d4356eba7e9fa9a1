/**
 * The secret mixed into cookieless visitor ids for one UTC day. A salt is created on first use
 * of its day and must be gone once the day is over: without it nobody, the operator included,
 * can recompute yesterday's ids from an IP and a user agent. Adapters: in-process and Redis.
 */
export interface DailySaltStore {
  /** The day's salt (`day` as YYYY-MM-DD, UTC); every collector process gets the same one. */
  saltFor(day: string): Promise<Buffer>;
  /** The days whose salts are held now (for tests and audits); never a day before the latest asked. */
  heldDays(): Promise<string[]>;
  close(): Promise<void>;
}

export const SALT_BYTES = 32;

/** The UTC day of an instant, and the ms until it ends. */
export function utcDay(at: Date): { day: string; msLeft: number } {
  const day = at.toISOString().slice(0, 10);
  return { day, msLeft: Date.parse(`${day}T00:00:00.000Z`) + 86_400_000 - at.getTime() };
}
