import type { PaymentsError } from '../domain/payments.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { applyPaymentEvent } from '../domain/payment.ts';
import { applyFact } from './apply-fact.ts';
import { intentFact } from './intent-fact.ts';
import type { PaymentsContext } from './payments.context.ts';
import type { PaymentIntentView } from './ports/payment-gateway.port.ts';
import type { PaymentRecord } from './ports/payment.repository.ts';

export type WebhookHandled = 'moved' | 'already' | 'refused' | 'ignored' | 'rejected';

/**
 * A gateway webhook: verified by the adapter (signature + timestamp tolerance) on the raw
 * body, then applied like any other fact. Providers deliver at least once and in any order;
 * the state machine turns repeats into no-ops. Anything verified but not ours (another
 * event type, an unknown intent) is acknowledged and ignored so the provider stops sending it.
 *
 * A valid signature proves only that the provider sent it, not that it is about this order's
 * money: the intent must be the one recorded for the order, for the order's amount and currency.
 * Anything else is `rejected`: logged, stored for admins (`/api/admin/payments/webhook-rejections`)
 * and never applied.
 */
export async function handleGatewayWebhook(
  ctx: PaymentsContext,
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
): Promise<Result<WebhookHandled, PaymentsError>> {
  const parsed = ctx.gateway.parseWebhook(rawBody, signatureHeader);
  if (!parsed.ok) return fail(parsed.error);
  const event = parsed.event;
  if (event.type === 'ignored') return ok('ignored');
  const orderId = event.intent.orderId || (await ctx.payments.findOrderIdByIntent(ctx.db, event.intent.intentId));
  const fact = event.type === 'payment.failed' ? ({ type: 'failed', code: event.code } as const) : intentFact(event.intent);
  if (!orderId || !fact) return ok('ignored');
  // A charge of this process in flight learns the same from the gateway's answers (see below).
  if (ctx.charges.inFlight(orderId)) return ok('ignored');
  const current = ctx.charges.committed(orderId) ?? (await ctx.payments.findPaymentByOrder(ctx.db, orderId));
  if (!current) {
    ctx.logger.warn({ orderId, gatewayEventId: event.eventId }, 'webhook for an order without a payment; ignored');
    return ok('ignored');
  }
  // Until our own authorize call has recorded the intent, the charge in flight learns it from the
  // gateway's answer; a webhook racing ahead of that commit is news we already have coming.
  if (current.payment.intentId === undefined) return ok('ignored');
  const mismatch = mismatchOf(current, event.intent);
  if (mismatch) {
    ctx.logger.warn({ orderId, gatewayEventId: event.eventId, intentId: event.intent.intentId, reason: mismatch }, 'webhook rejected: not this order\'s payment');
    await ctx.payments.recordWebhookRejection(ctx.db, {
      gatewayEventId: event.eventId,
      intentId: event.intent.intentId,
      orderId,
      reason: mismatch,
      receivedAt: ctx.now(),
    });
    return ok('rejected');
  }
  // Most webhooks report what the charge already recorded: the unlocked read (or what the charge
  // committed) tells, without a transaction. A payment only moves forward, so a fact that is
  // `already` for this state stays so for any later one.
  if (applyPaymentEvent(current.payment, fact).outcome === 'already') return ok('already');
  const applied = await ctx.db.transaction((tx) => applyFact(ctx, tx, orderId, fact, { reason: `Gateway event ${event.type}` }));
  if (!applied) return ok('ignored');
  if (applied.transition.outcome === 'refused') {
    ctx.logger.warn({ orderId, gatewayEventId: event.eventId, error: applied.transition.error }, 'webhook fact refused by the payment state');
  }
  return ok(applied.transition.outcome);
}

/**
 * Why the intent is not the payment's, or null when it is: the one the gateway named in its
 * answer to our authorize call.
 */
function mismatchOf(record: PaymentRecord, intent: PaymentIntentView): string | null {
  const p = record.payment;
  if (intent.intentId !== p.intentId) return `intent ${intent.intentId} is not the order's (${p.intentId})`;
  if (intent.amountMinor !== p.amountMinor) return `amount ${intent.amountMinor}, the order's is ${p.amountMinor}`;
  if (intent.currency.toUpperCase() !== p.currency) return `currency ${intent.currency}, the order's is ${p.currency}`;
  return null;
}
