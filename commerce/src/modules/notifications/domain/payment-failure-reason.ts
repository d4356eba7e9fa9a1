/**
 * The sentence a shopper reads for a payment failure code. The gateway's own message stays in
 * the logs: it may name card details or internals.
 */
export function paymentFailureSentence(code: string): string {
  switch (code) {
    case 'PAYMENTS.CARD_DECLINED':
      return 'Your card was declined by your bank.';
    case 'PAYMENTS.INSUFFICIENT_FUNDS':
      return 'Your card has insufficient funds.';
    case 'PAYMENTS.INVALID_PAYMENT_METHOD':
      return 'The payment method could not be used.';
    case 'PAYMENTS.GATEWAY_TIMEOUT':
    case 'PAYMENTS.GATEWAY_UNAVAILABLE':
      return 'Our payment provider could not be reached.';
    case 'ORDERS.PAYMENT_EXPIRED':
      return 'The payment was not completed in time.';
    default:
      return 'The payment did not go through.';
  }
}
