/**
 * Test cards the sandbox understands, and the Stripe test PaymentMethod each one stands for,
 * so one checkout form works against either adapter. Numbers and tokens are Stripe's own
 * test values; any other input is refused as an invalid payment method.
 *
 * | card number        | behaviour                                                         |
 * |--------------------|-------------------------------------------------------------------|
 * | 4242424242424242   | authorized                                                        |
 * | 4000000000000002   | declined (`PAYMENTS.CARD_DECLINED`, decline code generic_decline) |
 * | 4000000000009995   | insufficient funds (`PAYMENTS.INSUFFICIENT_FUNDS`)                |
 * | 4000000000000119   | times out (`PAYMENTS.GATEWAY_TIMEOUT`, nothing charged, every try) |
 * | 4000000000003220   | requires confirmation; authorized later, announced by webhook     |
 */
export type TestCardBehaviour = 'succeeds' | 'declined' | 'insufficient_funds' | 'times_out' | 'requires_confirmation';

export interface TestCard {
  number: string;
  behaviour: TestCardBehaviour;
  /**
   * Stripe's test PaymentMethod for the same card. Real Stripe answers `processing_error` for
   * the 0119 card (mapped to a retryable outcome); the local Stripe fake hangs instead.
   */
  stripeToken: string;
}

export const TEST_CARDS: readonly TestCard[] = [
  { number: '4242424242424242', behaviour: 'succeeds', stripeToken: 'pm_card_visa' },
  { number: '4000000000000002', behaviour: 'declined', stripeToken: 'pm_card_chargeDeclined' },
  { number: '4000000000009995', behaviour: 'insufficient_funds', stripeToken: 'pm_card_chargeDeclinedInsufficientFunds' },
  { number: '4000000000000119', behaviour: 'times_out', stripeToken: 'pm_card_chargeDeclinedProcessingError' },
  { number: '4000000000003220', behaviour: 'requires_confirmation', stripeToken: 'pm_card_threeDSecure2Required' },
];

/** Finds a test card by its number (spaces allowed) or its Stripe token. */
export function findTestCard(paymentMethod: string): TestCard | undefined {
  const compact = paymentMethod.replace(/\s+/g, '');
  return TEST_CARDS.find((c) => c.number === compact || c.stripeToken === compact);
}
