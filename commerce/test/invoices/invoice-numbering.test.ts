import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { HttpServer } from '@shop/platform';
import { createLocalObjectStore, type LocalObjectStore } from '@shop/platform/object-store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentCompleted, PaymentRefunded } from '../../src/events/payments.events.ts';
import { createInvoicesModule, type InvoiceSources } from '../../src/modules/invoices/index.ts';
import type { InvoiceOrder } from '../../src/modules/orders/index.ts';
import { migrate, type Database } from '../../src/shared/database/index.ts';
import { createEventBus, type EventBus } from '../../src/shared/events/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { moduleServer } from '../support/module-harness.ts';
import { createTestAuthenticator } from '../support/test-authenticator.ts';
import { silentLogger } from '../orders/support/orders-app.ts';
import { pdfText } from './pdf-text.ts';

const orderFixture = (id: string, n: number, currency = 'EUR'): InvoiceOrder => ({
  id,
  orderNumber: `SO-${String(n).padStart(8, '0')}`,
  userId: `user-${n}`,
  accessTokenHash: null,
  email: `buyer${n}@example.test`,
  currency,
  lines: [{ variantId: randomUUID(), sku: `SKU-${n}`, name: `Linen shirt ${n}`, quantity: 2, unitPriceMinor: 2500 }],
  subtotalMinor: 5000,
  shippingMinor: 500,
  shippingName: 'Standard',
  discountMinor: 0,
  taxLines: [{ name: 'VAT', rateBps: 2000, taxableMinor: 4583, taxMinor: 917 }],
  taxMinor: 917,
  taxInclusive: true,
  totalMinor: 5500,
  billingAddress: { name: `Buyer ${n}`, line1: '1 Rue X', city: 'Paris', postalCode: '75001', country: 'FR' },
  placedAt: '2026-12-01T10:00:00.000Z',
});

/**
 * The invoices module on the real bus (10 handlers at once) and each database engine: many
 * payments captured at once get invoice numbers 1..N of the year, with no gap and no duplicate,
 * even when some issuing transactions roll back after drawing a number.
 */
describe.each(databaseEngines())('invoice numbering on $name', (engine) => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let events: EventBus;
  let server: HttpServer;
  let dir: string;
  /** Statements the database saw since the last `observed.splice(0)`. */
  const observed: string[] = [];
  const orders = new Map<string, InvoiceOrder>();
  /** Orders whose first issuing attempt is made to fail after the number was drawn. */
  const failOnce = new Set<string>();
  const sources: InvoiceSources = {
    async invoiceOrderOf(id) {
      const order = orders.get(id);
      if (order && failOnce.delete(id)) return { ...order, currency: 'bad' }; // the insert's currency check rolls the transaction back
      return order ?? null;
    },
    async refundOf() {
      return null;
    },
  };
  const store = { puts: 0, inner: null as LocalObjectStore | null };

  beforeAll(async () => {
    if (engine.skip) return;
    ({ db, cleanup } = await engine.open((text) => void observed.push(text)));
    dir = await mkdtemp(join(tmpdir(), 'invoices-'));
    store.inner = await createLocalObjectStore(dir);
    events = createEventBus({ db, logger: silentLogger, options: { pollIntervalMs: 20, concurrency: 10, retry: { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 20 } } });
    const invoices = createInvoicesModule({
      db,
      events,
      sources,
      store: { get: (k) => store.inner!.get(k), put: async (k, b) => ((store.puts += 1), store.inner!.put(k, b)) },
      auth: createTestAuthenticator(),
      logger: silentLogger,
      config: { seller: { name: 'Maison Test SARL', addressLines: ['2 Quai Y', '69001 Lyon'], taxId: 'FR12345678901' }, invoicePrefix: 'INV' },
    });
    await migrate(db, [events.migrations, invoices.migrations]);
    await events.start();
    server = await moduleServer(invoices);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await events?.stop();
    await cleanup?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const numbers = async (kind: string) =>
    (await db.query<{ seq: number; number: string }>(`select seq, number from invoices.documents where kind = $1 order by seq`, [kind])).rows;

  it.skipIf(engine.skip)('24 payments captured at once, a quarter rolled back once: numbers 1..24, each order invoiced once', async () => {
    const ids = Array.from({ length: 24 }, (_, i) => {
      const id = randomUUID();
      orders.set(id, orderFixture(id, i + 1));
      if (i % 4 === 0) failOnce.add(id);
      return id;
    });
    // Each capture published twice (a redelivered event): still one invoice per order.
    await Promise.all(
      ids.flatMap((orderId) => {
        const event = PaymentCompleted.create({ orderId, paymentId: randomUUID(), amountMinor: 5500, currency: 'EUR' });
        return [db.transaction((tx) => events.publish(tx, event)), db.transaction((tx) => events.publish(tx, PaymentCompleted.create(event.payload)))];
      }),
    );
    const year = new Date().getUTCFullYear();
    for (;;) {
      if ((await numbers('invoice')).length >= 24 && failOnce.size === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 200)); // any late duplicate would show now
    // A capture's second event finds the order's invoice where it would draw a number: done, nothing drawn, no retries.
    const unsettled = async () =>
      (await db.query<{ status: string; n: number }>(`select status, count(*)::int as n from events.deliveries where subscriber = 'invoices' and status <> 'done' group by status`)).rows;
    while ((await unsettled()).some((r) => r.status === 'pending' || r.status === 'processing')) await new Promise((r) => setTimeout(r, 50));
    expect(await unsettled()).toEqual([]);
    const rows = await numbers('invoice');
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(rows[0]!.number).toBe(`INV-${year}-000001`);
    const perOrder = await db.query<{ n: number }>(`select count(*)::int as n from invoices.documents group by order_id having count(*) > 1`);
    expect(perOrder.rows).toEqual([]);
    // Issuing renders nothing: each PDF waits for its first download.
    expect(store.puts).toBe(0);
  }, 120_000);

  it.skipIf(engine.skip)('statement budget: an invoice is one statement with its inbox mark and completion; a second capture event one, nothing drawn', async () => {
    const orderId = randomUUID();
    orders.set(orderId, orderFixture(orderId, 98));
    const event = PaymentCompleted.create({ orderId, paymentId: randomUUID(), amountMinor: 5500, currency: 'EUR' });
    const onInvoices = () => observed.filter((s) => /\binvoices\.(documents|number_sequences)\b/.test(s));
    const handled = async (id: string) => {
      const done = async () =>
        (await db.query<{ n: number }>(`select count(*)::int as n from events.deliveries where event_id = $1 and status = 'done'`, [id])).rows[0]!.n > 0;
      while (!(await done())) await new Promise((r) => setTimeout(r, 20));
    };
    const sequence = async () => (await db.query<{ n: number }>(`select coalesce(sum(last_number), 0)::int as n from invoices.number_sequences`)).rows[0]!.n;
    observed.splice(0);
    await db.transaction((tx) => events.publish(tx, event));
    await handled(event.id);
    const listing = () => observed.join('\n---\n');
    expect(onInvoices(), listing()).toHaveLength(1);
    // The inbox mark and the delivery's completion are in it: nothing needs a transaction around it.
    expect(onInvoices()[0], listing()).toMatch(/insert into events\.inbox[\s\S]*update events\.deliveries/);
    const drawn = await sequence();
    const [stored] = (await db.query<{ number: string; content: { number: string } }>(`select number, content from invoices.documents where order_id = $1`, [orderId])).rows;
    expect(stored!.content.number).toBe(stored!.number);
    // A second capture event of the order: one statement, nothing drawn, nothing stored.
    observed.splice(0);
    const again = PaymentCompleted.create(event.payload);
    await db.transaction((tx) => events.publish(tx, again));
    await handled(again.id);
    expect(onInvoices(), listing()).toHaveLength(1);
    expect(await sequence()).toBe(drawn);
  });

  it.skipIf(engine.skip)('the PDF, rendered on first download and kept, reads back with seller, buyer, lines, totals and the tax breakdown; a refund gets a credit note', async () => {
    const orderId = randomUUID();
    orders.set(orderId, orderFixture(orderId, 99));
    await db.transaction((tx) => events.publish(tx, PaymentCompleted.create({ orderId, paymentId: randomUUID(), amountMinor: 5500, currency: 'EUR' })));
    await db.transaction((tx) => events.publish(tx, PaymentRefunded.create({ orderId, paymentId: randomUUID(), amountMinor: 1200, currency: 'EUR' })));
    let docs: Array<{ number: string; kind: string }> = [];
    while (docs.length < 2) {
      docs = (await db.query<{ number: string; kind: string }>(`select number, kind from invoices.documents where order_id = $1 order by kind desc`, [orderId])).rows;
      await new Promise((r) => setTimeout(r, 30));
    }
    const year = new Date().getUTCFullYear();
    const invoice = docs.find((d) => d.kind === 'invoice')!;
    const note = docs.find((d) => d.kind === 'credit_note')!;
    expect(note.number).toBe(`CN-${year}-000001`);

    const ids = (await db.query<{ id: string; number: string }>(`select id, number from invoices.documents where order_id = $1`, [orderId])).rows;
    const idOf = (number: string) => ids.find((d) => d.number === number)!.id;
    const download = async (number: string) => {
      const res = await server.inject({ method: 'GET', url: `/api/orders/${orderId}/invoices/${idOf(number)}/pdf`, headers: { 'x-test-user': 'user-99' } });
      expect([res.statusCode, res.headers['content-type']]).toEqual([200, 'application/pdf']);
      return res.rawPayload;
    };
    expect(await store.inner!.get(`invoices/${year}/${invoice.number}.pdf`)).toBeNull();
    const bytes = await download(invoice.number);
    // The first download stored what it rendered; the next one is read back from the store, byte for byte.
    expect(Buffer.compare(Buffer.from((await store.inner!.get(`invoices/${year}/${invoice.number}.pdf`))!), bytes)).toBe(0);
    const puts = store.puts;
    expect(Buffer.compare(await download(invoice.number), bytes)).toBe(0);
    expect(store.puts).toBe(puts);
    const text = await pdfText(bytes);
    for (const expected of [`Invoice ${invoice.number}`, 'Maison Test SARL', 'FR12345678901', 'Buyer 99', 'buyer99@example.test', 'SO-00000099', 'SKU-99', 'Linen shirt 99', '€50.00', '€5.00', '€55.00', 'Tax breakdown', '20.00 %', 'VAT', '€45.83', 'Tax included', '€9.17']) {
      expect(text).toContain(expected);
    }
    const noteBytes = await download(note.number);
    const noteText = await pdfText(noteBytes);
    expect(noteText).toContain(`Credit note ${note.number}`);
    expect(noteText).toContain(`Corrects invoice: ${invoice.number}`);
    expect(noteText).toContain('€12.00');
    expect(noteText).toContain('Order cancelled');
  }, 60_000);
});
