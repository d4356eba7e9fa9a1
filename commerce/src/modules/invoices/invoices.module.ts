import { randomUUID } from 'node:crypto';
import type { Logger } from '@shop/platform';
import type { ObjectStore } from '@shop/platform/object-store';
import type { Database } from '../../shared/database/index.ts';
import type { EventBus } from '../../shared/events/index.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { PaymentCompleted, PaymentRefunded } from '../../events/payments.events.ts';
import { adminInvoiceRoutes, invoiceRoutes } from './api/invoices.routes.ts';
import type { InvoicesContext } from './application/invoices.context.ts';
import { issueCreditNote } from './application/issue-credit-note.ts';
import { issueInvoice } from './application/issue-invoice.ts';
import type { InvoiceSources } from './application/ports/invoice-sources.port.ts';
import type { Party } from './domain/invoice-document.ts';
import { documentRepository } from './infrastructure/document.repository.ts';
import { invoicesMigrations } from './infrastructure/invoices.migrations.ts';
import { renderDocumentPdf } from './infrastructure/pdf-renderer.ts';

export interface InvoicesConfig {
  seller: Party;
  /** Invoice numbers read `<prefix>-<year>-000001`; credit notes `CN-<year>-000001`. */
  invoicePrefix: string;
}

export interface InvoicesModuleDeps {
  db: Database;
  events: EventBus;
  sources: InvoiceSources;
  store: Pick<ObjectStore, 'get' | 'put'>;
  auth: Authenticator;
  logger: Logger;
  config: InvoicesConfig;
  now?: () => Date;
}

/** What other modules may ask of invoices. */
export interface InvoicesApi {
  /** The order's documents' numbers, oldest first. */
  numbersOf(orderId: string): Promise<string[]>;
}

export const INVOICES_SUBSCRIBER = 'invoices';

/**
 * Invoices and credit notes, in the `invoices` schema: an invoice when a payment is captured, a
 * credit note when money goes back, each numbered without gaps per series and year and kept as a
 * PDF in the object store. Create it before `events.start()`.
 */
export function createInvoicesModule(deps: InvoicesModuleDeps): CommerceModule<InvoicesApi> & Required<Pick<CommerceModule<InvoicesApi>, 'migrations' | 'routes'>> {
  const ctx: InvoicesContext = {
    db: deps.db,
    documents: documentRepository,
    sources: deps.sources,
    store: deps.store,
    render: renderDocumentPdf,
    seller: deps.config.seller,
    invoicePrefix: deps.config.invoicePrefix,
    logger: deps.logger,
    now: deps.now ?? (() => new Date()),
    newId: randomUUID,
  };
  deps.events.subscribe(INVOICES_SUBSCRIBER, PaymentCompleted, (event, handler) => issueInvoice(ctx, event, handler));
  deps.events.subscribe(INVOICES_SUBSCRIBER, PaymentRefunded, (event, handler) => issueCreditNote(ctx, event, handler));
  return {
    name: 'invoices',
    api: { numbersOf: async (orderId) => (await ctx.documents.listFor(ctx.db, orderId)).map((d) => d.number) },
    migrations: invoicesMigrations,
    async routes(app) {
      await app.register(invoiceRoutes(ctx, deps.auth));
      await app.register(adminInvoiceRoutes(ctx, deps.auth), { prefix: '/admin' });
    },
  };
}
