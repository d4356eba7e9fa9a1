export {
  signWebhookPayload,
  verifyWebhookSignature,
  type SignatureFailure,
  type VerifyOptions,
  type VerifyResult,
} from './webhook-signature.ts';
