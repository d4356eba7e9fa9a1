import { paymentsError, type PaymentsError } from '../domain/payments.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { mayView, type PaymentViewer } from '../domain/payment-viewer.ts';
import type { SandboxIssuer } from './ports/sandbox-issuer.port.ts';
import type { PaymentsContext } from './payments.context.ts';

export type SandboxAuthenticationResult = 'approved' | 'refused';

/**
 * The shopper answers the sandbox's "3-D Secure" page. Like a real card issuer, the sandbox then
 * tells the shop by webhook (its `deliver` sink posts it to the webhook route); the payment moves
 * there, not here, so the path is the one a real gateway takes. Only the order's customer, an admin
 * or a guest holding the order token may answer; anyone else is told there is no payment.
 */
export async function authenticateInSandbox(
  ctx: PaymentsContext,
  sandbox: SandboxIssuer,
  orderId: string,
  result: SandboxAuthenticationResult,
  viewer: PaymentViewer,
): Promise<Result<{ orderId: string; result: SandboxAuthenticationResult }, PaymentsError>> {
  const current = await ctx.payments.findPaymentByOrder(ctx.db, orderId);
  if (!current || !mayView(current.owner, viewer)) return fail(paymentsError('PAYMENTS.PAYMENT_NOT_FOUND', `No payment for order ${orderId}`));
  const { state, intentId } = current.payment;
  if (state !== 'requires_confirmation' || !intentId) {
    return fail(paymentsError('PAYMENTS.INVALID_TRANSITION', `The payment is ${state}, not waiting for authentication`));
  }
  await sandbox.completeConfirmation(intentId, result === 'approved' ? 'succeeds' : 'fails');
  return ok({ orderId, result });
}
