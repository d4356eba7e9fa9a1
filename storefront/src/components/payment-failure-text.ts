/** What the shopper reads when a payment fails, shared by the server's order page and the live order island. */

const FAILURES: Record<string, string> = {
  'PAYMENTS.CARD_DECLINED': 'Your card was declined.',
  'PAYMENTS.INSUFFICIENT_FUNDS': 'Your card has insufficient funds.',
  'PAYMENTS.INVALID_PAYMENT_METHOD': 'That card number is not one the sandbox accepts.',
  'PAYMENTS.GATEWAY_TIMEOUT': 'The payment provider did not answer in time.',
};

export function paymentFailureText(failureCode: string | null | undefined): string {
  return `${(failureCode && FAILURES[failureCode]) || 'Your payment did not go through.'} Nothing was charged.`;
}
