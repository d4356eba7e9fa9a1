/** The invoices module's entry: its factory, config and API. */
export { createInvoicesModule, INVOICES_SUBSCRIBER, type InvoicesApi, type InvoicesConfig, type InvoicesModuleDeps } from './invoices.module.ts';
export type { InvoiceSources } from './application/ports/invoice-sources.port.ts';
export type { Party } from './domain/invoice-document.ts';
export { invoicesMigrations } from './infrastructure/invoices.migrations.ts';
