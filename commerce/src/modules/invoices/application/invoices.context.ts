import type { Logger } from '@shop/platform';
import type { ObjectStore } from '@shop/platform/object-store';
import type { Database } from '../../../shared/database/database.ts';
import type { DocumentContent, Party } from '../domain/invoice-document.ts';
import type { DocumentRepository } from './ports/document.repository.ts';
import type { InvoiceSources } from './ports/invoice-sources.port.ts';

export interface InvoicesContext {
  db: Database;
  documents: DocumentRepository;
  sources: InvoiceSources;
  /** Where the PDFs are kept (`invoices/<year>/<number>.pdf`). */
  store: Pick<ObjectStore, 'get' | 'put'>;
  render: (content: DocumentContent) => Promise<Buffer>;
  seller: Party;
  invoicePrefix: string;
  logger: Logger;
  now: () => Date;
  newId: () => string;
}
