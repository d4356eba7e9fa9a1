import type { Sql } from '../../../../shared/database/database.ts';
import type { DocumentKind, InvoiceDocument } from '../../domain/invoice-document.ts';

/** Issued documents and their numbering; every call joins the caller's transaction. */
export interface DocumentRepository {
  /**
   * The next number of `series` in `year` (1 for the first), the counter row locked until the
   * transaction ends: concurrent issuers wait, and a rollback hands the number to the next one.
   */
  nextNumber(tx: Sql, series: string, year: number): Promise<number>;
  /** `nextNumber`, or null (nothing drawn) when the order already has its invoice. */
  nextNumberUnlessInvoiced(tx: Sql, series: string, year: number, orderId: string): Promise<number | null>;
  insert(tx: Sql, d: InvoiceDocument & { series: string; year: number; seq: number }): Promise<void>;
  findBySource(sql: Sql, kind: DocumentKind, sourceId: string): Promise<InvoiceDocument | null>;
  findInvoiceOf(sql: Sql, orderId: string): Promise<InvoiceDocument | null>;
  find(sql: Sql, id: string): Promise<InvoiceDocument | null>;
  /** Oldest first. */
  listFor(sql: Sql, orderId: string): Promise<InvoiceDocument[]>;
}
