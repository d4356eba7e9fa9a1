import { z } from 'zod';
import type { IntentState, PaymentIntentView } from '../application/ports/payment-gateway.port.ts';
import type { PaymentsErrorCode } from '../domain/payments.errors.ts';

/**
 * The fields of a Stripe PaymentIntent we read. The sandbox emits webhooks in this same shape,
 * so one webhook endpoint and one parser serve both adapters.
 */
export const stripeIntentSchema = z.object({
  id: z.string(),
  object: z.literal('payment_intent'),
  amount: z.number().int(),
  amount_received: z.number().int().default(0),
  currency: z.string(),
  status: z.string(),
  metadata: z.record(z.string(), z.string()).default({}),
  last_payment_error: z
    .object({ code: z.string().nullish(), decline_code: z.string().nullish() })
    .nullish(),
});
export type StripeIntentShape = z.input<typeof stripeIntentSchema>;

const STATE: Record<string, IntentState> = {
  requires_payment_method: 'failed',
  requires_confirmation: 'requires_confirmation',
  requires_action: 'requires_confirmation',
  processing: 'requires_confirmation',
  requires_capture: 'authorized',
  succeeded: 'captured',
  canceled: 'canceled',
};

/** Stripe's decline reasons, folded into our stable codes. */
export function declineCodeToError(code: string | null | undefined, declineCode: string | null | undefined): PaymentsErrorCode {
  if (declineCode === 'insufficient_funds' || code === 'insufficient_funds') return 'PAYMENTS.INSUFFICIENT_FUNDS';
  if (code === 'resource_missing' || code === 'payment_method_invalid') return 'PAYMENTS.INVALID_PAYMENT_METHOD';
  return 'PAYMENTS.CARD_DECLINED';
}

export function toIntentView(raw: StripeIntentShape): PaymentIntentView {
  const pi = stripeIntentSchema.parse(raw);
  const state = STATE[pi.status];
  if (!state) throw new Error(`Unknown PaymentIntent status ${pi.status}`);
  // A fresh intent awaiting its first confirmation also says requires_payment_method: only an error makes it failed.
  const failed = state === 'failed' && Boolean(pi.last_payment_error);
  const view: PaymentIntentView = {
    intentId: pi.id,
    orderId: pi.metadata.order_id ?? '',
    amountMinor: pi.amount,
    currency: pi.currency.toUpperCase(),
    state: state === 'failed' && !failed ? 'requires_confirmation' : state,
    amountCapturedMinor: pi.amount_received,
  };
  if (pi.last_payment_error) view.failureCode = declineCodeToError(pi.last_payment_error.code, pi.last_payment_error.decline_code);
  return view;
}
