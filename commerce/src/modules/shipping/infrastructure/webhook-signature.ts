import {
  signWebhookPayload,
  verifyWebhookSignature as verifySignature,
  type SignatureFailure,
  type VerifyOptions,
} from '../../../shared/webhooks/index.ts';
import type { ShippingError, ShippingErrorCode } from '../domain/shipping.errors.ts';

export { signWebhookPayload };

export type VerifyResult = { ok: true; timestampSeconds: number } | { ok: false; error: ShippingError };

const CODE: Record<SignatureFailure, ShippingErrorCode> = {
  malformed_header: 'SHIPPING.WEBHOOK_MALFORMED_HEADER',
  signature_mismatch: 'SHIPPING.WEBHOOK_SIGNATURE_MISMATCH',
  timestamp_out_of_tolerance: 'SHIPPING.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
};

/** The shared scheme (`shared/webhooks`: Stripe's `t=<s>,v1=<hex>`), with failures under shipping's stable codes. */
export function verifyWebhookSignature(
  payload: string | Buffer,
  header: string | undefined,
  secret: string,
  options: VerifyOptions = {},
): VerifyResult {
  const verified = verifySignature(payload, header, secret, options);
  return verified.ok ? verified : { ok: false, error: { code: CODE[verified.reason], message: verified.message } };
}
