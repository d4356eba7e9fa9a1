import { paymentsError, type PaymentsError } from '../domain/payments.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { mayView, type PaymentViewer } from '../domain/payment-viewer.ts';
import { applyFact } from './apply-fact.ts';
import { intentFact } from './intent-fact.ts';
import type { PaymentsContext } from './payments.context.ts';
import { toPaymentView, type PaymentView } from './payments.dto.ts';

/**
 * The shopper is back from authentication (3-D Secure): ask the gateway where the intent
 * stands and apply that. Nothing the caller says is trusted, only the gateway's answer; still only
 * the order's customer, an admin or a guest with the order token may ask, and anyone else is told
 * there is no payment, exactly as for an unknown order, so order ids cannot be probed. Racing the gateway's webhook is fine:
 * both go through `applyFact`, and only the first to move the payment has an effect.
 */
export async function confirmPayment(
  ctx: PaymentsContext,
  orderId: string,
  viewer: PaymentViewer,
): Promise<Result<PaymentView, PaymentsError>> {
  const current = await ctx.payments.findPaymentByOrder(ctx.db, orderId);
  if (!current || !mayView(current.owner, viewer)) return fail(paymentsError('PAYMENTS.PAYMENT_NOT_FOUND', `No payment for order ${orderId}`));
  const intentId = current.payment.intentId;
  if (current.payment.state !== 'requires_confirmation' || !intentId) return ok(toPaymentView(current));

  const found = await ctx.gateway.retrieve(intentId);
  if (found.status === 'not_found') return fail(paymentsError('PAYMENTS.INTENT_NOT_FOUND', `The gateway has no intent ${intentId}`));
  if (found.status !== 'found') return fail(paymentsError(found.code, found.message));
  const fact = intentFact(found.intent);
  if (!fact) return ok(toPaymentView(current));
  const applied = await ctx.db.transaction((tx) => applyFact(ctx, tx, orderId, fact, { reason: 'The payment was not confirmed' }));
  return ok(toPaymentView(applied?.record ?? current));
}
