import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Stripe's webhook signature scheme, shared by every module that sends or receives signed
 * webhooks (payments, shipping). Header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<raw body>">`; several `v1` entries are allowed so a secret can be rotated.
 * Failures carry a neutral `reason`; each module maps it to its own stable error code.
 *
 * @example
 * const header = signWebhookPayload(body, secret, Math.floor(Date.now() / 1000));
 * verifyWebhookSignature(body, header, secret); // { ok: true, timestampSeconds }
 */
export function signWebhookPayload(payload: string | Buffer, secret: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, payload)}`;
}

export interface VerifyOptions {
  /** Maximum age, and maximum lead into the future, of the signed timestamp. Default 300 s, as Stripe. */
  toleranceSeconds?: number | undefined;
  /** Milliseconds since the epoch; injected by tests. */
  now?: (() => number) | undefined;
}

export type SignatureFailure = 'malformed_header' | 'signature_mismatch' | 'timestamp_out_of_tolerance';

export type VerifyResult = { ok: true; timestampSeconds: number } | { ok: false; reason: SignatureFailure; message: string };

/**
 * Verifies a webhook before anything trusts its body; pass the raw body byte for byte.
 * Unlike Stripe's own check, a timestamp too far in the FUTURE is also refused: a captured
 * header with a forged clock must not get a longer replay window.
 */
export function verifyWebhookSignature(
  payload: string | Buffer,
  header: string | undefined,
  secret: string,
  options: VerifyOptions = {},
): VerifyResult {
  const tolerance = options.toleranceSeconds ?? 300;
  const parsed = parseHeader(header);
  if (!parsed) return { ok: false, reason: 'malformed_header', message: 'Expected a header like t=<seconds>,v1=<hex>' };
  const expected = Buffer.from(hmac(secret, parsed.timestamp, payload), 'hex');
  const matches = parsed.signatures.some((s) => {
    const given = Buffer.from(s, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return { ok: false, reason: 'signature_mismatch', message: 'No signature matches the payload' };
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (Math.abs(nowSeconds - parsed.timestamp) > tolerance) {
    return {
      ok: false,
      reason: 'timestamp_out_of_tolerance',
      message: `Signed ${nowSeconds - parsed.timestamp}s from now; tolerance ${tolerance}s`,
    };
  }
  return { ok: true, timestampSeconds: parsed.timestamp };
}

/**
 * `verifyWebhookSignature` with failures under a module's own stable error codes, so each module
 * states only its code table.
 *
 * @example
 * const verify = webhookVerifier({ malformed_header: 'SHIPPING.WEBHOOK_MALFORMED_HEADER', ... });
 * verify(body, header, secret); // { ok: false, error: { code: 'SHIPPING.WEBHOOK_MALFORMED_HEADER', message } }
 */
export function webhookVerifier<Code extends string>(codes: Record<SignatureFailure, Code>) {
  return (
    payload: string | Buffer,
    header: string | undefined,
    secret: string,
    options: VerifyOptions = {},
  ): { ok: true; timestampSeconds: number } | { ok: false; error: { code: Code; message: string } } => {
    const verified = verifyWebhookSignature(payload, header, secret, options);
    return verified.ok ? verified : { ok: false, error: { code: codes[verified.reason], message: verified.message } };
  };
}

function hmac(secret: string, timestamp: number, payload: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex');
}

function parseHeader(header: string | undefined): { timestamp: number; signatures: string[] } | null {
  if (!header) return null;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 1) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return null;
      signatures.push(value);
    }
    // Other schemes (v0 test signatures) are ignored, as Stripe does.
  }
  return timestamp === undefined || signatures.length === 0 ? null : { timestamp, signatures };
}
