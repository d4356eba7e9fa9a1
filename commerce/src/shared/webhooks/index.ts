export {
  signWebhookPayload,
  verifyWebhookSignature,
  type SignatureFailure,
  type VerifyOptions,
  type VerifyResult,
  webhookVerifier,
} from './webhook-signature.ts';
