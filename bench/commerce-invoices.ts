/**
 * Invoices issued per second: INVOICES payments captured at once go through the real event bus
 * (outbox, BENCH_CONCURRENCY handlers) into the invoices module, which numbers and stores each
 * invoice in its transaction (the PDF waits for its first download). Latency is from the
 * captures' commit to each invoice's issue time. Run on PGlite and on the real PostgreSQL (when
 * reachable), plus the PDF rendering alone: what a first download costs.
 *
 *   npm run bench:invoices        (INVOICES=300 BENCH_CONCURRENCY=10 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@shop/platform';
import { createLocalObjectStore } from '@shop/platform/object-store';
import { PaymentCompleted } from '../commerce/src/events/payments.events.ts';
import { createInvoicesModule } from '../commerce/src/modules/invoices/index.ts';
import type { InvoiceOrder } from '../commerce/src/modules/orders/index.ts';
import { createPgDatabase, createPgliteDatabase, migrate, type Database } from '../commerce/src/shared/database/index.ts';
import { createEventBus } from '../commerce/src/shared/events/index.ts';
import { renderDocumentPdf } from '../commerce/src/modules/invoices/infrastructure/pdf-renderer.ts';
import { freshPostgresDatabase } from './lib/engines.ts';

const total = Number(process.env.INVOICES ?? 300);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 10);
const logger = createLogger('bench-invoices', 'silent');

const order = (id: string, n: number): InvoiceOrder => ({
  id,
  orderNumber: `SO-${String(n).padStart(8, '0')}`,
  userId: null,
  accessTokenHash: null,
  email: `buyer${n}@bench.test`,
  currency: 'EUR',
  lines: Array.from({ length: 3 }, (_, i) => ({ variantId: randomUUID(), sku: `SKU-${n}-${i}`, name: `Item ${i} of order ${n}`, quantity: 1 + i, unitPriceMinor: 1500 })),
  subtotalMinor: 9000,
  shippingMinor: 490,
  shippingName: 'Standard',
  discountMinor: 0,
  taxLines: [{ name: 'VAT 20%', rateBps: 2000, taxableMinor: 7908, taxMinor: 1582 }],
  taxMinor: 1582,
  taxInclusive: true,
  totalMinor: 9490,
  billingAddress: { name: `Buyer ${n}`, line1: '1 Rue X', city: 'Paris', postalCode: '75001', country: 'FR' },
  placedAt: new Date().toISOString(),
});

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function run(name: string, db: Database, close: () => Promise<void>) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-invoices-'));
  const orders = new Map<string, InvoiceOrder>();
  const inner = await createLocalObjectStore(dir);
  const events = createEventBus({ db, logger, options: { pollIntervalMs: 20, concurrency } });
  const invoices = createInvoicesModule({
    db,
    events,
    sources: { invoiceOrderOf: async (id) => orders.get(id) ?? null, refundOf: async () => null },
    store: inner,
    auth: { identify: async () => null, requireUser: async () => Promise.reject(new Error('no')), requireAdmin: async () => Promise.reject(new Error('no')) },
    logger,
    config: { seller: { name: 'Bench SAS', addressLines: ['1 Rue Y', '75002 Paris'] }, invoicePrefix: 'INV' },
  });
  await migrate(db, [events.migrations, invoices.migrations]);
  await events.start();
  const ids = Array.from({ length: total }, (_, i) => {
    const id = randomUUID();
    orders.set(id, order(id, i + 1));
    return id;
  });
  const started = performance.now();
  // Latency is measured from the moment all captures are committed (one batch), to each invoice issued.
  await db.transaction(async (tx) => {
    for (const orderId of ids) await events.publish(tx, PaymentCompleted.create({ orderId, paymentId: randomUUID(), amountMinor: 9490, currency: 'EUR' }));
  });
  const committedAt = Date.now();
  const count = async () => (await db.query<{ n: number }>(`select count(*)::int as n from invoices.documents`)).rows[0]!.n;
  while ((await count()) < total) await new Promise((r) => setTimeout(r, 10));
  const seconds = (performance.now() - started) / 1000;
  const { rows } = await db.query<{ n: number; max: number }>(`select count(*)::int as n, max(seq)::int as max from invoices.documents`);
  const issued = await db.query<{ ms: number }>(`select extract(epoch from issued_at) * 1000 as ms from invoices.documents`);
  const sorted = issued.rows.map((r) => Number(r.ms) - committedAt).sort((a, b) => a - b);
  console.log(
    `| ${name} | ${total} | ${(total / seconds).toFixed(1)} | ${pct(sorted, 50).toFixed(0)} | ${pct(sorted, 99).toFixed(0)} | ${rows[0]!.n === total && rows[0]!.max === total ? 'yes' : 'NO'} |`,
  );
  await events.stop();
  await inner.close();
  await close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`invoices: ${total} captures at once, ${concurrency} handlers; latency from the captures' commit to each invoice issued (PDFs render on first download)`);
console.log('\n| engine | invoices | invoices/s | p50 ms | p99 ms | numbers 1..N |');
console.log('|---|---|---|---|---|---|');
const pglite = await createPgliteDatabase();
await run('PGlite (embedded)', pglite, () => pglite.close());
try {
  const database = await freshPostgresDatabase();
  const pgdb = await createPgDatabase(database.url, concurrency + 2);
  await run('PostgreSQL', pgdb, async () => {
    await pgdb.close();
    await database.drop();
  });
} catch (error) {
  console.log(`| PostgreSQL | skipped: ${(error as Error).message} | | | | |`);
}

// The PDF alone, one after another: what a first download costs on top of reading the document.
const renders: number[] = [];
const sample = order(randomUUID(), 1);
const content = { ...sample, kind: 'invoice' as const, number: 'INV-2026-000001', issuedAt: new Date().toISOString(), correctsNumber: null, seller: { name: 'Bench SAS', addressLines: [] }, buyer: { name: 'Buyer', addressLines: [] }, lines: sample.lines.map((l) => ({ description: l.name, sku: l.sku, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, amountMinor: l.unitPriceMinor * l.quantity })), note: null };
const renderStart = performance.now();
for (let i = 0; i < Math.min(total, 200); i++) {
  const t = performance.now();
  await renderDocumentPdf(content);
  renders.push(performance.now() - t);
}
const renderSorted = renders.sort((a, b) => a - b);
console.log(`\nPDF rendering alone (first download): ${(renders.length / ((performance.now() - renderStart) / 1000)).toFixed(1)} PDFs/s, p50 ${pct(renderSorted, 50).toFixed(1)} ms, p99 ${pct(renderSorted, 99).toFixed(1)} ms`);
