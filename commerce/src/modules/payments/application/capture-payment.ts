import type { EventOf } from '../../../shared/events/index.ts';
import { applyFact } from './apply-fact.ts';
import type { CaptureRequested } from './capture-requested.event.ts';
import { GatewayUnreachableError } from './charge-order.ts';
import type { PaymentsContext } from './payments.context.ts';

/**
 * Captures an authorized payment (handler of the internal `CaptureRequested`). The key
 * `capture:<orderId>` makes a retried or redelivered capture a replay at the gateway; the
 * `captured` fact then publishes `PaymentCompleted` once, whether this or the gateway's
 * `payment_intent.succeeded` webhook gets there first.
 */
export async function capturePayment(ctx: PaymentsContext, event: EventOf<typeof CaptureRequested>): Promise<void> {
  const { orderId, intentId } = event.payload;
  const current = await ctx.payments.findPaymentByOrder(ctx.db, orderId);
  if (current?.payment.state !== 'authorized') return; // already captured (e.g. the webhook won), or not ours
  const outcome = await ctx.gateway.capture(intentId, `capture:${orderId}`);
  switch (outcome.status) {
    case 'captured': {
      await ctx.db.transaction((tx) =>
        applyFact(ctx, tx, orderId, { type: 'captured', intentId, amountMinor: outcome.intent.amountCapturedMinor }, { causedBy: event }),
      );
      return;
    }
    case 'refused': {
      // The order was cancelled and its authorization voided first: nothing left to capture.
      const now = await ctx.payments.findPaymentByOrder(ctx.db, orderId);
      if (now?.payment.state === 'voided') return;
      // e.g. the authorization expired: retries replay the same answer, so let it dead-letter where an admin sees it.
      throw new Error(`capture of ${intentId} refused: ${outcome.error.code} ${outcome.error.message}`);
    }
    case 'timeout':
    case 'unavailable':
      throw new GatewayUnreachableError(outcome);
  }
}
