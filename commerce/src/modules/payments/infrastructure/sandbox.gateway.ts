import { randomUUID } from 'node:crypto';
import type {
  AuthorizeOutcome,
  CaptureOutcome,
  CreatePaymentIntentInput,
  PaymentGateway,
  PaymentIntentView,
  RefundInput,
  RefundOutcome,
  RetrieveOutcome,
  SignedWebhook,
  Unreachable,
  VoidOutcome,
} from '../application/ports/payment-gateway.port.ts';
import { IdempotencyKeyReusedError, type PaymentsErrorCode } from '../domain/payments.errors.ts';
import { parsePaymentWebhook } from './payment-webhook.parser.ts';
import { findTestCard } from './sandbox-test-cards.ts';
import type { StripeIntentShape } from './stripe-intent.mapper.ts';
import { signWebhookPayload } from '../../../shared/webhooks/index.ts';
import type { WebhookSink } from './webhook-sink.ts';
import { openSandboxJournal, type SandboxJournal } from './sandbox-journal.ts';

export interface SandboxGatewayOptions {
  /** Signs the webhooks it emits and verifies the ones handed to `parseWebhook`. No default: secrets come from config. */
  webhookSecret: string;
  /** Receives every webhook (e.g. `httpWebhookSink(url)`); delivery runs in the background. */
  deliver?: WebhookSink;
  onDeliveryError?: (error: unknown) => void;
  webhookToleranceSeconds?: number;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /**
   * Where the sandbox keeps its intents and idempotent answers (an fsynced journal, see
   * `sandbox-journal.ts`), so a restarted process continues where it stopped: an intent
   * authorized before a kill -9 can still be captured after it. In memory only when unset.
   */
  stateFile?: string;
}

export interface SandboxGateway extends PaymentGateway {
  /**
   * Demo and test control: the shopper finishes (or fails) authentication of a
   * `requires_confirmation` intent. Returns the webhook it emits (also handed to `deliver`).
   */
  completeConfirmation(intentId: string, result?: 'succeeds' | 'fails'): Promise<SignedWebhook>;
  /** Fault injection: the next mutating call is carried out but its answer is lost (a timeout). */
  loseNextResponse(): void;
  /** Every webhook emitted so far, oldest first. */
  readonly webhooks: readonly SignedWebhook[];
  /** Money movements actually performed; replays and "already captured" answers are not counted. */
  readonly stats: { readonly authorizations: number; readonly captures: number; readonly refunds: number; readonly voids: number };
}

/** True for the embedded sandbox, whose demo controls (the 3-D Secure answer) get a route. */
export function isSandboxGateway(gateway: PaymentGateway): gateway is SandboxGateway {
  return typeof (gateway as Partial<SandboxGateway>).completeConfirmation === 'function';
}

interface Intent {
  view: PaymentIntentView;
  refundedMinor: number;
}

type Stats = { authorizations: number; captures: number; refunds: number; voids: number };

/** One journal line: the intents a call changed, the answer it gave under its key, the counters after it. */
interface JournalRecord {
  intents: Intent[];
  reply?: { key: string; fingerprint: string; outcome: unknown };
  stats: Stats;
}

/**
 * The embedded payment gateway: test cards (see `sandbox-test-cards.ts`), state in memory and,
 * with `stateFile`, in a journal written before each answer (what `npm start` uses), Stripe's
 * idempotency and webhook conventions. Webhooks go out only once the change they report is durable.
 * A timeout is simulated as an immediate `timeout` outcome instead of a real wait, so callers'
 * retry paths can be exercised without slowing anything down.
 */
export function createSandboxGateway(options: SandboxGatewayOptions): SandboxGateway {
  const now = options.now ?? Date.now;
  const intents = new Map<string, Intent>();
  const replies = new Map<string, { fingerprint: string; outcome: unknown; durable: Promise<void> }>();
  const webhooks: SignedWebhook[] = [];
  const stats: Stats = { authorizations: 0, captures: 0, refunds: 0, voids: 0 };
  let loseNext = false;
  /** Intents changed by the call in progress, and the webhooks it will send once that is on disk. */
  const dirty = new Set<Intent>();
  let unsent: SignedWebhook[] = [];
  const ready: Promise<SandboxJournal<JournalRecord> | null> = options.stateFile
    ? openSandboxJournal<JournalRecord>(options.stateFile).then((journal) => {
        for (const record of journal.records) {
          for (const intent of record.intents) intents.set(intent.view.intentId, intent);
          if (record.reply) replies.set(record.reply.key, { ...record.reply, durable: Promise.resolve() });
          Object.assign(stats, record.stats);
        }
        return journal;
      })
    : Promise.resolve(null);

  /** Writes what the call changed (and its answer), then lets its webhooks go. */
  async function commit(reply?: JournalRecord['reply']): Promise<void> {
    const record: JournalRecord = { intents: [...dirty].map((i) => structuredClone(i)), stats: { ...stats }, ...(reply ? { reply } : {}) };
    const sending = unsent;
    dirty.clear();
    unsent = [];
    const journal = await ready;
    if (journal && (record.intents.length > 0 || reply)) await journal.append(record);
    for (const webhook of sending) {
      if (options.deliver) void options.deliver(webhook).catch((error: unknown) => options.onDeliveryError?.(error));
    }
  }

  function emit(type: string, intent: Intent): SignedWebhook {
    const object: StripeIntentShape = {
      id: intent.view.intentId,
      object: 'payment_intent',
      amount: intent.view.amountMinor,
      amount_received: intent.view.amountCapturedMinor,
      currency: intent.view.currency.toLowerCase(),
      status: { requires_confirmation: 'requires_action', authorized: 'requires_capture', captured: 'succeeded', failed: 'requires_payment_method', canceled: 'canceled' }[intent.view.state],
      metadata: { order_id: intent.view.orderId },
      last_payment_error: intent.view.failureCode ? STRIPE_DECLINE[intent.view.failureCode] ?? STRIPE_DECLINE['PAYMENTS.CARD_DECLINED'] : null,
    };
    const created = Math.floor(now() / 1000);
    const payload = JSON.stringify({ id: `evt_${randomUUID().replaceAll('-', '')}`, object: 'event', type, created, data: { object } });
    const webhook = { payload, signatureHeader: signWebhookPayload(payload, options.webhookSecret, created) };
    webhooks.push(webhook);
    dirty.add(intent);
    unsent.push(webhook);
    return webhook;
  }

  /** Stripe's rule: a key replays its first answer; the same key with other parameters is a caller bug. */
  async function idempotent<T>(key: string, fingerprint: unknown, run: () => T): Promise<T | Unreachable> {
    await ready;
    const print = JSON.stringify(fingerprint);
    const previous = replies.get(key);
    if (previous) {
      if (previous.fingerprint !== print) throw new IdempotencyKeyReusedError(key);
      await previous.durable;
      return structuredClone(previous.outcome) as T;
    }
    // run() and the bookkeeping below are synchronous: no other call interleaves before commit() takes the dirty set.
    const outcome = run();
    const unreachable = (outcome as { status?: string }).status === 'timeout';
    const durable = commit(unreachable ? undefined : { key, fingerprint: print, outcome: structuredClone(outcome) });
    if (!unreachable) replies.set(key, { fingerprint: print, outcome, durable });
    await durable;
    if (loseNext && !unreachable) {
      loseNext = false;
      return timeout('The sandbox lost the answer (injected fault)');
    }
    return outcome;
  }

  const copy = (intent: Intent): PaymentIntentView => ({ ...intent.view });

  return {
    webhooks,
    stats,
    loseNextResponse() {
      loseNext = true;
    },

    async createPaymentIntent(input: CreatePaymentIntentInput): Promise<AuthorizeOutcome> {
      validateAmount(input.amountMinor);
      const { idempotencyKey, ...params } = input;
      return idempotent<AuthorizeOutcome>(idempotencyKey, ['create', params], () => {
        const card = findTestCard(input.paymentMethod);
        if (card?.behaviour === 'times_out') return timeout('The sandbox timed out (test card 4000000000000119)');
        const intent: Intent = {
          view: {
            intentId: `pi_sbx_${randomUUID().replaceAll('-', '')}`,
            orderId: input.orderId,
            amountMinor: input.amountMinor,
            currency: input.currency.toUpperCase(),
            state: 'requires_confirmation',
            amountCapturedMinor: 0,
          },
          refundedMinor: 0,
        };
        intents.set(intent.view.intentId, intent);
        dirty.add(intent);
        const fail = (code: PaymentsErrorCode) => {
          intent.view.state = 'failed';
          intent.view.failureCode = code;
          emit('payment_intent.payment_failed', intent);
        };
        switch (card?.behaviour) {
          case 'succeeds':
            intent.view.state = 'authorized';
            stats.authorizations++;
            emit('payment_intent.amount_capturable_updated', intent);
            return { status: 'authorized', intent: copy(intent) };
          case 'requires_confirmation':
            return { status: 'requires_confirmation', intent: copy(intent) };
          case 'insufficient_funds':
            fail('PAYMENTS.INSUFFICIENT_FUNDS');
            return { status: 'insufficient_funds', code: 'PAYMENTS.INSUFFICIENT_FUNDS', intentId: intent.view.intentId, message: 'Your card has insufficient funds.' };
          case 'declined':
            fail('PAYMENTS.CARD_DECLINED');
            return { status: 'declined', code: 'PAYMENTS.CARD_DECLINED', declineCode: 'generic_decline', intentId: intent.view.intentId, message: 'Your card was declined.' };
          default:
            fail('PAYMENTS.INVALID_PAYMENT_METHOD');
            return { status: 'declined', code: 'PAYMENTS.INVALID_PAYMENT_METHOD', declineCode: 'invalid_payment_method', intentId: intent.view.intentId, message: 'Not a sandbox test card.' };
        }
      });
    },

    async capture(intentId: string, idempotencyKey: string): Promise<CaptureOutcome> {
      return idempotent<CaptureOutcome>(idempotencyKey, ['capture', intentId], () => {
        const intent = intents.get(intentId);
        if (!intent) return { status: 'refused', error: { code: 'PAYMENTS.INTENT_NOT_FOUND', message: `No intent ${intentId}` } };
        if (intent.view.state === 'captured') return { status: 'captured', intent: copy(intent), alreadyCaptured: true };
        if (intent.view.state !== 'authorized') {
          return { status: 'refused', error: { code: 'PAYMENTS.NOT_CAPTURABLE', message: `The intent is ${intent.view.state}` } };
        }
        intent.view.state = 'captured';
        intent.view.amountCapturedMinor = intent.view.amountMinor;
        stats.captures++;
        emit('payment_intent.succeeded', intent);
        return { status: 'captured', intent: copy(intent), alreadyCaptured: false };
      });
    },

    async voidAuthorization(intentId: string, idempotencyKey: string): Promise<VoidOutcome> {
      return idempotent<VoidOutcome>(idempotencyKey, ['void', intentId], () => {
        const intent = intents.get(intentId);
        if (!intent) return { status: 'refused', error: { code: 'PAYMENTS.INTENT_NOT_FOUND', message: `No intent ${intentId}` } };
        if (intent.view.state === 'canceled') return { status: 'voided', intent: copy(intent), alreadyVoided: true };
        if (intent.view.state !== 'authorized' && intent.view.state !== 'requires_confirmation') {
          return { status: 'refused', error: { code: 'PAYMENTS.NOT_VOIDABLE', message: `The intent is ${intent.view.state}` } };
        }
        intent.view.state = 'canceled';
        stats.voids++;
        emit('payment_intent.canceled', intent);
        return { status: 'voided', intent: copy(intent), alreadyVoided: false };
      });
    },

    async refund(input: RefundInput): Promise<RefundOutcome> {
      validateAmount(input.amountMinor);
      const { idempotencyKey, ...params } = input;
      return idempotent<RefundOutcome>(idempotencyKey, ['refund', params], () => {
        const intent = intents.get(input.intentId);
        if (!intent) return { status: 'refused', error: { code: 'PAYMENTS.INTENT_NOT_FOUND', message: `No intent ${input.intentId}` } };
        if (intent.view.state !== 'captured') {
          return { status: 'refused', error: { code: 'PAYMENTS.NOT_CAPTURED', message: `The intent is ${intent.view.state}` } };
        }
        if (intent.refundedMinor + input.amountMinor > intent.view.amountCapturedMinor) {
          return { status: 'refused', error: { code: 'PAYMENTS.REFUND_EXCEEDS_CAPTURED', message: 'The refund exceeds what is left to refund' } };
        }
        intent.refundedMinor += input.amountMinor;
        dirty.add(intent);
        stats.refunds++;
        return {
          status: 'refunded',
          refund: { refundId: `re_sbx_${randomUUID().replaceAll('-', '')}`, intentId: input.intentId, amountMinor: input.amountMinor, currency: intent.view.currency },
        };
      });
    },

    async retrieve(intentId: string): Promise<RetrieveOutcome> {
      await ready;
      const intent = intents.get(intentId);
      return intent ? { status: 'found', intent: copy(intent) } : { status: 'not_found' };
    },

    parseWebhook(rawBody, signatureHeader) {
      return parsePaymentWebhook(rawBody, signatureHeader, options.webhookSecret, {
        now,
        toleranceSeconds: options.webhookToleranceSeconds,
      });
    },

    async completeConfirmation(intentId: string, result: 'succeeds' | 'fails' = 'succeeds'): Promise<SignedWebhook> {
      await ready;
      const intent = intents.get(intentId);
      if (!intent || intent.view.state !== 'requires_confirmation') {
        throw new Error(`Intent ${intentId} is not waiting for confirmation`);
      }
      let webhook: SignedWebhook;
      if (result === 'fails') {
        intent.view.state = 'failed';
        intent.view.failureCode = 'PAYMENTS.CARD_DECLINED';
        webhook = emit('payment_intent.payment_failed', intent);
      } else {
        intent.view.state = 'authorized';
        stats.authorizations++;
        webhook = emit('payment_intent.amount_capturable_updated', intent);
      }
      await commit();
      return webhook;
    },
  };
}

function validateAmount(amountMinor: number) {
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new RangeError(`amountMinor must be a positive integer, got ${amountMinor}`);
}

const timeout = (message: string): Unreachable => ({ status: 'timeout', code: 'PAYMENTS.GATEWAY_TIMEOUT', retryable: true, message });

/** The Stripe error each failure is reported as in webhooks, so the shared parser maps it back. */
const STRIPE_DECLINE: Partial<Record<PaymentsErrorCode, { code: string; decline_code: string }>> = {
  'PAYMENTS.CARD_DECLINED': { code: 'card_declined', decline_code: 'generic_decline' },
  'PAYMENTS.INSUFFICIENT_FUNDS': { code: 'card_declined', decline_code: 'insufficient_funds' },
  'PAYMENTS.INVALID_PAYMENT_METHOD': { code: 'payment_method_invalid', decline_code: 'invalid_payment_method' },
};
