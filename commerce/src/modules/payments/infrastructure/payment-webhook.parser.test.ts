import { describe, expect, it } from 'vitest';
import { parsePaymentWebhook } from './payment-webhook.parser.ts';
import { signWebhookPayload } from '../../../shared/webhooks/index.ts';

const secret = 'whsec_parser';
const signed = (body: unknown) => {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return [payload, signWebhookPayload(payload, secret, Math.floor(Date.now() / 1000))] as const;
};
const intent = (status: string) => ({ id: 'pi_1', object: 'payment_intent', amount: 100, amount_received: 0, currency: 'eur', status, metadata: { order_id: 'o1' } });

describe('parsePaymentWebhook', () => {
  it('maps the payment_intent events it knows and ignores the rest', () => {
    expect(parsePaymentWebhook(...signed({ id: 'evt_1', type: 'payment_intent.amount_capturable_updated', data: { object: intent('requires_capture') } }), secret)).toEqual({
      ok: true,
      event: { type: 'payment.authorized', eventId: 'evt_1', intent: { intentId: 'pi_1', orderId: 'o1', amountMinor: 100, currency: 'EUR', state: 'authorized', amountCapturedMinor: 0 } },
    });
    expect(parsePaymentWebhook(...signed({ id: 'evt_2', type: 'charge.refunded', data: { object: {} } }), secret)).toEqual({
      ok: true,
      event: { type: 'ignored', eventId: 'evt_2', providerType: 'charge.refunded' },
    });
  });

  it('refuses signed bodies that are not JSON, not events, or carry an unknown status', () => {
    for (const body of ['not json', { hello: 1 }, { id: 'e', type: 'payment_intent.succeeded', data: { object: { id: 'x' } } }, { id: 'e', type: 'payment_intent.succeeded', data: { object: intent('exploded') } }]) {
      expect(parsePaymentWebhook(...signed(body), secret)).toMatchObject({ ok: false, error: { code: 'PAYMENTS.WEBHOOK_MALFORMED_PAYLOAD' } });
    }
  });
});
