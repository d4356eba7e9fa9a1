import type { PaymentIntentView } from './ports/payment-gateway.port.ts';
import type { PaymentEvent } from '../domain/payment.ts';

/** The fact a provider-side view of an intent states; null while it still waits for the shopper. */
export function intentFact(intent: PaymentIntentView): PaymentEvent | null {
  switch (intent.state) {
    case 'requires_confirmation':
      return null;
    case 'authorized':
      return { type: 'authorized', intentId: intent.intentId };
    case 'captured':
      return { type: 'captured', intentId: intent.intentId, amountMinor: intent.amountCapturedMinor };
    case 'failed':
      return { type: 'failed', code: intent.failureCode ?? 'PAYMENTS.CARD_DECLINED' };
    case 'canceled':
      // Our own void's webhook can overtake the void's answer: it states the same fact.
      return { type: 'voided' };
  }
}
