import type { Sql } from '../../../../shared/database/database.ts';
import type { OnceStatement } from '../../../../shared/events/index.ts';
import type { DocumentContent, DocumentKind, InvoiceDocument } from '../../domain/invoice-document.ts';

/** Issued documents and their numbering; every call joins the caller's transaction. */
export interface DocumentRepository {
  /**
   * The next number of `series` in `year` (1 for the first), the counter row locked until the
   * transaction ends: concurrent issuers wait, and a rollback hands the number to the next one.
   */
  nextNumber(tx: Sql, series: string, year: number): Promise<number>;
  insert(tx: Sql, d: InvoiceDocument & { series: string; year: number; seq: number }): Promise<void>;
  /**
   * The order's invoice, numbered and stored by one statement's CTEs (for `onceInStatement`): the
   * number drawn and the document inserted unless the order has its invoice. `number` and `seq` are
   * the drawn number's; the content gets its `number` there.
   */
  firstInvoiceStatement(d: Omit<InvoiceDocument, 'number' | 'content'> & { content: Omit<DocumentContent, 'number'>; series: string; year: number }): OnceStatement;
  findBySource(sql: Sql, kind: DocumentKind, sourceId: string): Promise<InvoiceDocument | null>;
  findInvoiceOf(sql: Sql, orderId: string): Promise<InvoiceDocument | null>;
  find(sql: Sql, id: string): Promise<InvoiceDocument | null>;
  /** Oldest first. */
  listFor(sql: Sql, orderId: string): Promise<InvoiceDocument[]>;
}
