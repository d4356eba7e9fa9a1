import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import {
  adminBearer,
  adminGet,
  adminVariant,
  checkout,
  eventually,
  freshDatabase,
  getOrder,
  guestCart,
  pickVariants,
  postgres,
  setStock,
  startShop,
  tempDir,
  waitForQuietBus,
  type CheckoutAnswer,
  type PickedVariant,
  type ShopProcess,
  type TestDatabaseUrl,
} from './support/shop.ts';

const CARD = { ok: '4242424242424242', declined: '4000000000000002', threeDs: '4000000000003220' } as const;
/** Orders per wave, three waves, a kill -9 after each of the first two: bounded in count and time. */
const PER_WAVE = 6;
const PAID = ['fulfilled', 'shipped', 'delivered'];

interface Placed {
  order: CheckoutAnswer;
  card: keyof typeof CARD;
  variant: PickedVariant;
}

interface JournalLine {
  reply?: { key: string; outcome: { status: string; alreadyCaptured?: boolean; alreadyVoided?: boolean } };
}

/**
 * The shop on the embedded sandbox gateway, under a stream of checkouts, is SIGKILLed twice and
 * restarted on the same database and DATA_DIR. Every acknowledged (202) order must end terminal:
 * paid and fulfilled with exactly one capture and one confirmation email, or cancelled with
 * nothing captured, any authorization voided, and one payment-failed email. Stock adds up.
 * What the gateway and the mailer did is read from their own durable records (the sandbox
 * journal, the mailbox sends log), which a kill cannot rewrite.
 */
const engines = [
  { name: 'the embedded default (PGlite)', skip: false, database: async () => null },
  { name: 'PostgreSQL', skip: !postgres.available, database: () => freshDatabase() },
];

// The two engines run side by side: most of each run is waiting for the payment timeout to cancel the
// orders left at 3-D Secure, so together they take the time of one.
describe('kill -9 twice under load', () => {
  it.for(engines)('on $name: every acknowledged order ends paid+fulfilled or cancelled+voided; one capture and one confirmation per paid order; stock adds up', { concurrent: true, timeout: 600_000 }, async ({ skip, database }, { expect, onTestFinished, skip: skipTest }) => {
    if (skip) skipTest('PostgreSQL is not reachable');
    const data = tempDir('rel-kill-load-');
    const shops: ShopProcess[] = [];
    let db: TestDatabaseUrl | null = null;
    onTestFinished(async () => {
      for (const s of shops) await s.kill();
      await db?.drop();
      data.remove();
    });
    db = await database();
    const env = {
      ...(db ? { DATABASE_URL: db.url } : {}),
      DATA_DIR: data.path,
      PAYMENTS_RETRY_BASE_DELAY_MS: '100',
      ORDER_PAYMENT_TIMEOUT_MINUTES: '1',
      ORDER_EXPIRY_SWEEP_MS: '1000',
    };
    const start = async () => {
      const shop = await startShop(env);
      shops.push(shop);
      return shop;
    };
    let shop = await start();
    const bearer = await adminBearer(shop.base);
    const variants = await pickVariants(shop.base, 3);
    for (const v of variants) await setStock(shop.base, bearer, v, 100);

    const placed: Placed[] = [];
    const cards = Object.keys(CARD) as (keyof typeof CARD)[];
    for (let wave = 0; wave < 3; wave++) {
      const answers = await Promise.all(
        Array.from({ length: PER_WAVE }, async (_, i) => {
          const card = cards[i % cards.length]!;
          const variant = variants[i % variants.length]!;
          const cart = await guestCart(shop.base, variant.variantId, 1);
          const res = await checkout(shop.base, cart, `load-${wave}-${i}@example.com`, CARD[card]);
          return res.status === 202 ? { order: res.body, card, variant } : null;
        }),
      );
      placed.push(...answers.filter((a): a is Placed => a !== null));
      if (wave < 2) {
        // Mid-flight: the last wave's charges, captures and emails are still running.
        await new Promise((r) => setTimeout(r, 300));
        await shop.kill();
        shop = await start();
      }
    }
    expect(placed.length).toBe(3 * PER_WAVE);

    const terminal = ['cancelled', ...PAID];
    const finals = new Map<string, string>();
    for (const p of placed) {
      const view = await eventually(
        async () => {
          const o = await getOrder(shop.base, p.order);
          return terminal.includes(o.status) ? o : undefined;
        },
        async () => `order ${p.order.orderId} (${p.card}) is ${(await getOrder(shop.base, p.order)).status}`,
        150_000,
      );
      finals.set(p.order.orderId, view.status);
    }
    await waitForQuietBus(shop.base, bearer);

    const journal = readFileSync(join(data.path, 'payments-sandbox', 'journal.jsonl'), 'utf8')
      .split('\n')
      .flatMap((l) => {
        try {
          return l ? [JSON.parse(l) as JournalLine] : [];
        } catch {
          return [];
        }
      });
    const performed = (key: string, status: string) =>
      journal.filter((l) => l.reply?.key === key && l.reply.outcome.status === status && !l.reply.outcome.alreadyCaptured && !l.reply.outcome.alreadyVoided).length;
    const readSends = () =>
      readFileSync(join(data.path, 'mail', 'sends.log'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { idempotencyKey: string });
    // Emails follow the final order states through the bus: wait until each final order's mail was
    // written (or 30 s pass), then count exactly; a duplicate still shows as a second line.
    const expectedKeys = placed.map((p) => (p.card === 'ok' ? `order-confirmation:${p.order.orderId}` : `payment-failed:${p.order.orderId}`));
    let sends = readSends();
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && !expectedKeys.every((k) => sends.some((s) => s.idempotencyKey === k)); ) {
      await new Promise((r) => setTimeout(r, 250));
      sends = readSends();
    }
    const sent = (key: string) => sends.filter((s) => s.idempotencyKey === key).length;

    const paidPerVariant = new Map<string, number>();
    for (const p of placed) {
      const id = p.order.orderId;
      const status = finals.get(id)!;
      const payments = await adminGet<{ items: Array<{ state: string }> }>(shop.base, bearer, `/api/admin/payments?orderId=${id}`);
      const state = payments.items[0]?.state;
      const summary = `${id} (${p.card}): order ${status}, payment ${state}`;
      if (p.card === 'ok') {
        expect(PAID, summary).toContain(status);
        expect(state, summary).toBe('captured');
        expect(performed(`capture:${id}`, 'captured'), summary).toBe(1);
        expect(sent(`order-confirmation:${id}`), summary).toBe(1);
        expect(sent(`payment-failed:${id}`), summary).toBe(0);
        paidPerVariant.set(p.variant.variantId, (paidPerVariant.get(p.variant.variantId) ?? 0) + 1);
      } else {
        expect(status, summary).toBe('cancelled');
        expect(performed(`capture:${id}`, 'captured'), summary).toBe(0);
        expect(sent(`order-confirmation:${id}`), summary).toBe(0);
        expect(sent(`payment-failed:${id}`), summary).toBe(1);
        if (p.card === 'threeDs') {
          expect(state, summary).toBe('voided');
          expect(performed(`void:${id}`, 'voided'), summary).toBe(1);
        } else {
          expect(state, summary).toBe('failed');
        }
      }
    }

    for (const v of variants) {
      const now = await adminVariant(shop.base, bearer, v);
      expect({ sku: v.sku, onHand: now.onHand, reserved: now.reserved }).toEqual({ sku: v.sku, onHand: 100 - (paidPerVariant.get(v.variantId) ?? 0), reserved: 0 });
    }
  });
});
