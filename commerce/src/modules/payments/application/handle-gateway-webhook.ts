import type { PaymentsError } from '../domain/payments.errors.ts';
import { fail, ok, type Result } from '@shop/platform/result';
import { applyFact } from './apply-fact.ts';
import { intentFact } from './intent-fact.ts';
import type { PaymentsContext } from './payments.context.ts';

export type WebhookHandled = 'moved' | 'already' | 'refused' | 'ignored';

/**
 * A gateway webhook: verified by the adapter (signature + timestamp tolerance) on the raw
 * body, then applied like any other fact. Providers deliver at least once and in any order;
 * the state machine turns repeats into no-ops. Anything verified but not ours (another
 * event type, an unknown intent) is acknowledged and ignored so the provider stops sending it.
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
  const applied = await ctx.db.transaction((tx) => applyFact(ctx, tx, orderId, fact, { reason: `Gateway event ${event.type}` }));
  if (!applied) {
    ctx.logger.warn({ orderId, gatewayEventId: event.eventId }, 'webhook for an order without a payment; ignored');
    return ok('ignored');
  }
  if (applied.transition.outcome === 'refused') {
    ctx.logger.warn({ orderId, gatewayEventId: event.eventId, error: applied.transition.error }, 'webhook fact refused by the payment state');
  }
  return ok(applied.transition.outcome);
}
