import type { PaymentRecord } from './ports/payment.repository.ts';

/**
 * What this process knows of its own charges without asking the database: which are in flight,
 * and the payment each one committed. The gateway's webhooks about a charge (two per card paid
 * in one step) are news the charge has already, or is about to get from the gateway's answers;
 * this memory lets them be answered without reading the payment row.
 *
 * Either answer stays true: a payment only moves forward and its intent, amount and currency never
 * change once recorded, so a fact that is `already` for a committed state is so for every later
 * one. A webhook that would move the payment still takes the row lock and re-reads it. Another
 * process (a second instance) has its own memory and reads the row as before.
 */
export interface ChargeMemory {
  /** From before the first gateway call of a charge until its transaction has ended. */
  started(orderId: string): void;
  /** The charge is over; `committed` is the payment its transaction committed (absent when it did not). */
  ended(orderId: string, committed?: PaymentRecord): void;
  inFlight(orderId: string): boolean;
  /** The payment as a charge of this process last committed it: possibly older than the row, never newer. */
  committed(orderId: string): PaymentRecord | undefined;
}

/** Keeps the last `limit` committed charges: webhooks arrive within seconds of the charge. */
export function createChargeMemory(limit = 4_096): ChargeMemory {
  const charging = new Map<string, number>();
  const recent = new Map<string, PaymentRecord>();
  return {
    started(orderId) {
      charging.set(orderId, (charging.get(orderId) ?? 0) + 1);
    },
    ended(orderId, committed) {
      const left = (charging.get(orderId) ?? 1) - 1;
      if (left > 0) charging.set(orderId, left);
      else charging.delete(orderId);
      if (!committed) return;
      recent.delete(orderId);
      recent.set(orderId, committed);
      if (recent.size > limit) recent.delete(recent.keys().next().value!);
    },
    inFlight: (orderId) => charging.has(orderId),
    committed: (orderId) => recent.get(orderId),
  };
}
