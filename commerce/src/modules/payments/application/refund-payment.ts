import type { DomainEvent } from '../../../shared/events/index.ts';
import { checkRefund } from '../domain/payment.ts';
import { applyFact } from './apply-fact.ts';
import { GatewayUnreachableError } from './charge-order.ts';
import type { PaymentsContext } from './payments.context.ts';

export interface RefundOrder {
  orderId: string;
  amountMinor: number;
  /** One per refund: the gateway replays the first answer for it, so a redelivery refunds once. */
  idempotencyKey: string;
  /** The order's refund request this pays out, carried on `PaymentRefunded`. */
  refundRequestId?: string;
  causedBy: DomainEvent;
}

/**
 * Gives money back through the gateway and moves the payment (`PaymentRefunded` is published
 * with that move). A refund the payment cannot take (nothing captured, more than is left) is
 * logged for an admin instead of retried: retrying cannot make money appear. An unreachable
 * gateway throws, so the bus retries with the same key.
 */
export async function refundPayment(ctx: PaymentsContext, refund: RefundOrder): Promise<void> {
  const { orderId, amountMinor } = refund;
  const current = await ctx.payments.findPaymentByOrder(ctx.db, orderId);
  const refusal = current ? checkRefund(current.payment, amountMinor) : null;
  if (!current || !current.payment.intentId || refusal) {
    ctx.logger.error({ orderId, amountMinor, error: refusal ?? 'no captured payment' }, 'cannot refund the order');
    return;
  }
  const outcome = await ctx.gateway.refund({ intentId: current.payment.intentId, amountMinor, idempotencyKey: refund.idempotencyKey });
  switch (outcome.status) {
    case 'refunded':
      await ctx.db.transaction((tx) =>
        applyFact(
          ctx,
          tx,
          orderId,
          { type: 'refunded', refundId: outcome.refund.refundId, amountMinor: outcome.refund.amountMinor },
          { causedBy: refund.causedBy, ...(refund.refundRequestId ? { refundRequestId: refund.refundRequestId } : {}) },
        ),
      );
      return;
    case 'refused':
      ctx.logger.error({ orderId, amountMinor, error: outcome.error }, 'the gateway refused the refund');
      return;
    case 'timeout':
    case 'unavailable':
      throw new GatewayUnreachableError(outcome);
  }
}
