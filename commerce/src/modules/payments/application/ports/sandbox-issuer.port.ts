/**
 * The sandbox gateway's stand-in for a card issuer's authentication page: the shopper's answer
 * goes to the sandbox, which then delivers the webhook a real gateway would send.
 */
export interface SandboxIssuer {
  completeConfirmation(intentId: string, result?: 'succeeds' | 'fails'): Promise<unknown>;
}
