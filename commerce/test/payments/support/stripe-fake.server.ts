import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import type { SignedWebhook } from '../../../src/modules/payments/application/ports/payment-gateway.port.ts';

/**
 * A local stand-in for the part of Stripe's HTTP API the Stripe adapter calls, faithful where
 * the adapter depends on it: form-encoded bodies, Bearer auth, `Idempotency-Key` replay (same
 * key + same body replays the saved answer, other body is a 400 idempotency_error, a key still
 * in flight is a 409), Stripe's error JSON and status codes, PaymentIntent statuses.
 *
 * Test PaymentMethods: pm_card_visa (authorized), pm_card_chargeDeclined (402 card_declined),
 * pm_card_chargeDeclinedInsufficientFunds (402, decline_code insufficient_funds),
 * pm_card_threeDSecure2Required (requires_action), pm_card_chargeDeclinedProcessingError:
 * the connection hangs, which is how the fake simulates a timeout (real Stripe has no such card).
 */
export interface StripeFake {
  /** `http://127.0.0.1:<port>` */
  url: string;
  apiKey: string;
  webhookSecret: string;
  /** The shopper completes 3-D Secure: requires_action becomes requires_capture (or fails). */
  completeConfirmation(intentId: string, result?: 'succeeds' | 'fails'): SignedWebhook;
  /** The next POST is carried out and its answer saved, but the connection then hangs (a lost answer). */
  loseNextResponse(): void;
  /** The next request answers this status with an api_error and is not carried out. */
  failNext(status: number): void;
  readonly stats: { authorizations: number; captures: number; refunds: number };
  /** Every request received, for asserting on headers and bodies. */
  readonly requests: ReadonlyArray<{ method: string; path: string; idempotencyKey?: string; body: string }>;
  readonly webhooks: readonly SignedWebhook[];
  close(): Promise<void>;
}

interface FakeIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: string;
  capture_method: string;
  payment_method: string | null;
  metadata: Record<string, string>;
  last_payment_error: { type: string; code: string; decline_code?: string; message: string } | null;
  next_action: { type: string } | null;
  created: number;
  livemode: false;
  refunded: number;
}

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

export async function startStripeFake(options: { apiKey?: string; webhookSecret?: string } = {}): Promise<StripeFake> {
  const apiKey = options.apiKey ?? 'sk_test_fake';
  const webhookSecret = options.webhookSecret ?? 'whsec_fake';
  const intents = new Map<string, FakeIntent>();
  const saved = new Map<string, { fingerprint: string; status: number; body: string } | 'in_flight'>();
  const stats = { authorizations: 0, captures: 0, refunds: 0 };
  const requests: Array<{ method: string; path: string; idempotencyKey?: string; body: string }> = [];
  const webhooks: SignedWebhook[] = [];
  let loseNext = false;
  let failNextStatus: number | undefined;

  const publicIntent = (pi: FakeIntent) => {
    const { refunded: _refunded, ...rest } = pi;
    return rest;
  };

  function emit(type: string, pi: FakeIntent): SignedWebhook {
    const created = Math.floor(Date.now() / 1000);
    const payload = JSON.stringify({ id: `evt_${randomUUID().replaceAll('-', '')}`, object: 'event', type, created, data: { object: publicIntent(pi) } });
    const webhook = { payload, signatureHeader: Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret, timestamp: created }) };
    webhooks.push(webhook);
    return webhook;
  }

  const invalid = (message: string, code?: string, extra: Record<string, unknown> = {}) =>
    new StripeHttpError(400, { type: 'invalid_request_error', message, ...(code ? { code } : {}), ...extra });
  const missing = (id: string) => new StripeHttpError(404, { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${id}'`, param: 'id' });
  const find = (id: string) => {
    const pi = intents.get(id);
    if (!pi) throw missing(id);
    return pi;
  };

  /** Returns the answer, or 'hang' to leave the connection open (a timeout as the client sees it). */
  function confirm(pi: FakeIntent): { status: number; body: unknown } | 'hang' {
    if (pi.status !== 'requires_confirmation') {
      throw invalid(`This PaymentIntent's status is ${pi.status}; it cannot be confirmed.`, 'payment_intent_unexpected_state', { payment_intent: publicIntent(pi) });
    }
    const decline = (declineCode: string, message: string) => {
      pi.status = 'requires_payment_method';
      pi.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: declineCode, message };
      emit('payment_intent.payment_failed', pi);
      throw new StripeHttpError(402, { type: 'card_error', code: 'card_declined', decline_code: declineCode, message, payment_intent: publicIntent(pi) });
    };
    switch (pi.payment_method) {
      case 'pm_card_visa':
        stats.authorizations++;
        if (pi.capture_method === 'manual') {
          pi.status = 'requires_capture';
          pi.amount_capturable = pi.amount;
          emit('payment_intent.amount_capturable_updated', pi);
        } else {
          pi.status = 'succeeded';
          pi.amount_received = pi.amount;
          emit('payment_intent.succeeded', pi);
        }
        return { status: 200, body: publicIntent(pi) };
      case 'pm_card_chargeDeclined':
        return decline('generic_decline', 'Your card was declined.');
      case 'pm_card_chargeDeclinedInsufficientFunds':
        return decline('insufficient_funds', 'Your card has insufficient funds.');
      case 'pm_card_threeDSecure2Required':
        pi.status = 'requires_action';
        pi.next_action = { type: 'use_stripe_sdk' };
        return { status: 200, body: publicIntent(pi) };
      case 'pm_card_chargeDeclinedProcessingError':
        return 'hang';
      default:
        throw invalid(`No such PaymentMethod: '${pi.payment_method}'`, 'resource_missing', { param: 'payment_method' });
    }
  }

  function route(method: string, path: string, form: URLSearchParams): { status: number; body: unknown } | 'hang' {
    const segments = path.split('/').filter(Boolean);
    if (segments[0] !== 'v1') throw new StripeHttpError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` });
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(form.get('amount'));
      const currency = form.get('currency');
      if (!Number.isInteger(amount) || amount < 1) throw invalid('Invalid integer: amount', 'parameter_invalid_integer', { param: 'amount' });
      if (!currency) throw invalid('Missing required param: currency.', 'parameter_missing', { param: 'currency' });
      const metadata: Record<string, string> = {};
      for (const [key, value] of form) {
        const m = /^metadata\[(.+)\]$/.exec(key);
        if (m?.[1]) metadata[m[1]] = value;
      }
      const paymentMethod = form.get('payment_method');
      const pi: FakeIntent = {
        id: `pi_fake_${randomUUID().replaceAll('-', '').slice(0, 24)}`,
        object: 'payment_intent',
        amount,
        amount_capturable: 0,
        amount_received: 0,
        currency,
        status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
        capture_method: form.get('capture_method') ?? 'automatic',
        payment_method: paymentMethod,
        metadata,
        last_payment_error: null,
        next_action: null,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        refunded: 0,
      };
      intents.set(pi.id, pi);
      if (form.get('confirm') === 'true') return confirm(pi);
      return { status: 200, body: publicIntent(pi) };
    }
    if (segments[1] === 'payment_intents' && segments[2]) {
      const pi = find(segments[2]);
      if (method === 'GET' && segments.length === 3) return { status: 200, body: publicIntent(pi) };
      if (method === 'POST' && segments[3] === 'confirm') return confirm(pi);
      if (method === 'POST' && segments[3] === 'cancel') {
        if (pi.status === 'succeeded' || pi.status === 'canceled') {
          throw invalid(`You cannot cancel this PaymentIntent because it has a status of ${pi.status}.`, 'payment_intent_unexpected_state', {
            payment_intent: publicIntent(pi),
          });
        }
        pi.status = 'canceled';
        pi.amount_capturable = 0;
        emit('payment_intent.canceled', pi);
        return { status: 200, body: publicIntent(pi) };
      }
      if (method === 'POST' && segments[3] === 'capture') {
        if (pi.status !== 'requires_capture') {
          throw invalid(`This PaymentIntent could not be captured because it has a status of ${pi.status}.`, 'payment_intent_unexpected_state', {
            payment_intent: publicIntent(pi),
          });
        }
        pi.status = 'succeeded';
        pi.amount_received = pi.amount_capturable;
        pi.amount_capturable = 0;
        stats.captures++;
        emit('payment_intent.succeeded', pi);
        return { status: 200, body: publicIntent(pi) };
      }
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const pi = find(form.get('payment_intent') ?? '');
      if (pi.status !== 'succeeded') {
        throw invalid(`This PaymentIntent does not have a successful charge to refund.`, 'payment_intent_unexpected_state', { param: 'payment_intent' });
      }
      const remaining = pi.amount_received - pi.refunded;
      if (remaining === 0) throw invalid('Charge has already been refunded.', 'charge_already_refunded');
      const amount = form.has('amount') ? Number(form.get('amount')) : remaining;
      if (amount > remaining) throw invalid(`Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, 'amount_too_large', { param: 'amount' });
      pi.refunded += amount;
      stats.refunds++;
      return {
        status: 200,
        body: { id: `re_fake_${randomUUID().replaceAll('-', '').slice(0, 24)}`, object: 'refund', amount, currency: pi.currency, payment_intent: pi.id, status: 'succeeded' },
      };
    }
    throw new StripeHttpError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` });
  }

  const send = (res: ServerResponse, status: number, body: string, replayed = false) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomUUID()}`, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    requests.push({ method, path, body, ...(idempotencyKey ? { idempotencyKey } : {}) });
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return send(res, 401, JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } }));
    }
    if (failNextStatus) {
      const status = failNextStatus;
      failNextStatus = undefined;
      return send(res, status, JSON.stringify({ error: { type: 'api_error', message: 'An unknown error occurred (injected)' } }));
    }
    const fingerprint = `${method} ${path} ${body}`;
    const useKey = method === 'POST' && idempotencyKey !== undefined;
    if (useKey) {
      const previous = saved.get(idempotencyKey);
      if (previous === 'in_flight') {
        return send(res, 409, JSON.stringify({ error: { type: 'idempotency_error', message: 'There is currently another in-progress request using this Idempotent Key.' } }));
      }
      if (previous) {
        if (previous.fingerprint !== fingerprint) {
          return send(
            res,
            400,
            JSON.stringify({ error: { type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } }),
          );
        }
        return send(res, previous.status, previous.body, true);
      }
      saved.set(idempotencyKey, 'in_flight');
    }
    let answer: { status: number; body: unknown } | 'hang';
    try {
      answer = route(method, path, new URLSearchParams(body));
    } catch (error) {
      if (!(error instanceof StripeHttpError)) throw error;
      answer = { status: error.status, body: { error: error.body } };
    }
    if (answer === 'hang') {
      // Nothing was carried out: the key is free again for the client's retry.
      if (useKey) saved.delete(idempotencyKey);
      return;
    }
    const text = JSON.stringify(answer.body);
    if (useKey) saved.set(idempotencyKey, { fingerprint, status: answer.status, body: text });
    if (loseNext && method === 'POST') {
      loseNext = false;
      return; // carried out and saved, but the answer never arrives
    }
    send(res, answer.status, text);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    webhookSecret,
    stats,
    requests,
    webhooks,
    loseNextResponse() {
      loseNext = true;
    },
    failNext(status) {
      failNextStatus = status;
    },
    completeConfirmation(intentId, result = 'succeeds') {
      const pi = find(intentId);
      if (pi.status !== 'requires_action') throw new Error(`Intent ${intentId} is ${pi.status}, not requires_action`);
      pi.next_action = null;
      if (result === 'fails') {
        pi.status = 'requires_payment_method';
        pi.last_payment_error = { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Authentication failed.' };
        return emit('payment_intent.payment_failed', pi);
      }
      stats.authorizations++;
      pi.status = 'requires_capture';
      pi.amount_capturable = pi.amount;
      return emit('payment_intent.amount_capturable_updated', pi);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
