import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ShippingError } from '../domain/shipping.errors.ts';

/*
 * The same scheme as payments' `webhook-signature.ts` (Stripe's: `t=<s>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">`), copied because modules do not import each other. It belongs in
 * `commerce/src/shared/webhooks/` once both modules can use it from there.
 */

export function signWebhookPayload(payload: string | Buffer, secret: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, payload)}`;
}

export type VerifyResult = { ok: true; timestampSeconds: number } | { ok: false; error: ShippingError };

/** Refuses a bad signature, and a timestamp more than `toleranceSeconds` in the past or future (replay). */
export function verifyWebhookSignature(
  payload: string | Buffer,
  header: string | undefined,
  secret: string,
  options: { toleranceSeconds?: number; now?: () => number } = {},
): VerifyResult {
  const tolerance = options.toleranceSeconds ?? 300;
  const parts = (header ?? '').split(',').map((p) => p.split('='));
  const t = parts.find(([k]) => k?.trim() === 't')?.[1]?.trim();
  const signatures = parts.filter(([k, v]) => k?.trim() === 'v1' && v !== undefined && /^[0-9a-f]{64}$/i.test(v.trim())).map(([, v]) => v!.trim());
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0 || parts.some((p) => p.length !== 2)) {
    return { ok: false, error: { code: 'SHIPPING.WEBHOOK_MALFORMED_HEADER', message: 'Expected a header like t=<seconds>,v1=<hex>' } };
  }
  const timestamp = Number(t);
  const expected = Buffer.from(hmac(secret, timestamp, payload), 'hex');
  if (!signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected))) {
    return { ok: false, error: { code: 'SHIPPING.WEBHOOK_SIGNATURE_MISMATCH', message: 'No signature matches the payload' } };
  }
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    return { ok: false, error: { code: 'SHIPPING.WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', message: `Signed ${nowSeconds - timestamp}s from now` } };
  }
  return { ok: true, timestampSeconds: timestamp };
}

function hmac(secret: string, timestamp: number, payload: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex');
}
