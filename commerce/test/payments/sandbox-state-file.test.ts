import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandboxGateway } from '../../src/modules/payments/index.ts';

const CARD_OK = '4242424242424242';
const CARD_3DS = '4000000000003220';

describe('sandbox gateway with a state file', () => {
  let dir: string;
  let stateFile: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-state-'));
    stateFile = join(dir, 'journal.jsonl');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const open = () => createSandboxGateway({ webhookSecret: 'whsec_state', stateFile });
  const authorize = (gateway: ReturnType<typeof open>, orderId: string, paymentMethod = CARD_OK) =>
    gateway.createPaymentIntent({ orderId, amountMinor: 2599, currency: 'EUR', paymentMethod, idempotencyKey: `authorize:${orderId}` });

  it('continues after a restart: an intent authorized before it is captured after it, once, and keys replay their first answers', async () => {
    const before = open();
    const authorized = await authorize(before, 'o-1');
    if (authorized.status !== 'authorized') throw new Error(`expected authorized, got ${authorized.status}`);
    const waiting = await authorize(before, 'o-2', CARD_3DS);
    if (waiting.status !== 'requires_confirmation') throw new Error(`expected requires_confirmation, got ${waiting.status}`);

    const after = open();
    expect(await authorize(after, 'o-1')).toEqual(authorized);
    expect(await after.retrieve(authorized.intent.intentId)).toMatchObject({ status: 'found', intent: { state: 'authorized' } });
    expect(await after.capture(authorized.intent.intentId, 'capture:o-1')).toMatchObject({ status: 'captured', alreadyCaptured: false });
    await after.completeConfirmation(waiting.intent.intentId);

    const third = open();
    expect(await third.capture(authorized.intent.intentId, 'capture:o-1')).toMatchObject({ status: 'captured', alreadyCaptured: false });
    expect(await third.retrieve(waiting.intent.intentId)).toMatchObject({ status: 'found', intent: { state: 'authorized' } });
    expect(third.stats).toEqual({ authorizations: 2, captures: 1, refunds: 0, voids: 0 });
  });

  it('skips a line cut short by a crash, and the retried call performs it again', async () => {
    const before = open();
    await authorize(before, 'o-1');
    await appendFile(stateFile, '{"intents":[{"view":{"intentId":"pi_torn"');
    const after = open();
    expect(await after.retrieve('pi_torn')).toEqual({ status: 'not_found' });
    expect(await authorize(after, 'o-3')).toMatchObject({ status: 'authorized' });
    const reopened = open();
    expect(await reopened.retrieve('pi_torn')).toEqual({ status: 'not_found' });
    expect(reopened.stats).toMatchObject({ authorizations: 2 });
  });
});
