import type { PaymentState } from '../domain/payment.ts';
import type { PaymentRecord } from './ports/payment.repository.ts';

/** A payment as the admin API and other modules see it. Money in integer minor units. */
export interface PaymentView {
  id: string;
  orderId: string;
  state: PaymentState;
  amountMinor: number;
  currency: string;
  intentId: string | null;
  capturedMinor: number;
  refundedMinor: number;
  failureCode: string | null;
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toPaymentView(record: PaymentRecord): PaymentView {
  const p = record.payment;
  return {
    id: record.id,
    orderId: p.orderId,
    state: p.state,
    amountMinor: p.amountMinor,
    currency: p.currency,
    intentId: p.intentId ?? null,
    capturedMinor: p.capturedMinor,
    refundedMinor: p.refundedMinor,
    failureCode: p.failureCode ?? null,
    failureReason: record.failureReason,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}
