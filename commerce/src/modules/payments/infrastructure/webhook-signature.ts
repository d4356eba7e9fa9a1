import {
  signWebhookPayload,
  verifyWebhookSignature as verifySignature,
  type SignatureFailure,
  type VerifyOptions,
} from '../../../shared/webhooks/index.ts';
import type { PaymentsError, PaymentsErrorCode } from '../domain/payments.errors.ts';

export { signWebhookPayload, type VerifyOptions };

export type VerifyResult = { ok: true; timestampSeconds: number } | { ok: false; error: PaymentsError };

const CODE: Record<SignatureFailure, PaymentsErrorCode> = {
  malformed_header: 'PAYMENTS.WEBHOOK_MALFORMED_HEADER',
  signature_mismatch: 'PAYMENTS.WEBHOOK_SIGNATURE_MISMATCH',
  timestamp_out_of_tolerance: 'PAYMENTS.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE',
};

/** The shared check (`shared/webhooks`), with failures under the payments module's stable codes. */
export function verifyWebhookSignature(
  payload: string | Buffer,
  header: string | undefined,
  secret: string,
  options: VerifyOptions = {},
): VerifyResult {
  const verified = verifySignature(payload, header, secret, options);
  return verified.ok ? verified : { ok: false, error: { code: CODE[verified.reason], message: verified.message } };
}
