import type { DocumentRepository } from '../application/ports/document.repository.ts';
import type { DocumentContent, DocumentKind, InvoiceDocument } from '../domain/invoice-document.ts';

interface Row {
  id: string;
  kind: DocumentKind;
  number: string;
  order_id: string;
  source_id: string;
  user_id: string | null;
  access_token_hash: string | null;
  total_minor: number | string;
  currency: string;
  content: DocumentContent;
  issued_at: Date | string;
}

const COLUMNS = 'id, kind, number, order_id, source_id, user_id, access_token_hash, total_minor, currency, content, issued_at';

const toDocument = (r: Row): InvoiceDocument => ({
  id: r.id,
  kind: r.kind,
  number: r.number,
  orderId: r.order_id,
  sourceId: r.source_id,
  userId: r.user_id,
  accessTokenHash: r.access_token_hash,
  totalMinor: Number(r.total_minor),
  currency: r.currency,
  content: r.content,
  issuedAt: new Date(r.issued_at),
});

/** The DocumentRepository port over PostgreSQL/PGlite. */
export const documentRepository: DocumentRepository = {
  async nextNumber(tx, series, year) {
    const { rows } = await tx.query<{ last_number: number }>(
      `insert into invoices.number_sequences (series, year, last_number) values ($1, $2, 1)
       on conflict (series, year) do update set last_number = invoices.number_sequences.last_number + 1
       returning last_number`,
      [series, year],
    );
    return rows[0]!.last_number;
  },
  async insert(tx, d) {
    await tx.query(
      `insert into invoices.documents (id, kind, series, year, seq, number, order_id, source_id, user_id, access_token_hash, total_minor,
         currency, content, issued_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [d.id, d.kind, d.series, d.year, d.seq, d.number, d.orderId, d.sourceId, d.userId, d.accessTokenHash, d.totalMinor, d.currency, JSON.stringify(d.content), d.issuedAt],
    );
  },
  firstInvoiceStatement(d) {
    // `documentNumber` in SQL: the series, the year, the number padded to at least 6 digits.
    return {
      ctes: `drawn as (
         insert into invoices.number_sequences (series, year, last_number)
         select $1, $2, 1
          where exists (select 1 from first_handling)
            and not exists (select 1 from invoices.documents where order_id = $3 and kind = 'invoice')
         on conflict (series, year) do update set last_number = invoices.number_sequences.last_number + 1
         returning last_number as seq
       ),
       numbered as (
         select seq, $4::text || lpad(seq::text, greatest(6, length(seq::text)), '0') as number from drawn
       ),
       stored as (
         insert into invoices.documents (id, kind, series, year, seq, number, order_id, source_id, user_id, access_token_hash,
           total_minor, currency, content, issued_at)
         select $5, 'invoice', $1, $2, seq, number, $3, $6, $7, $8, $9, $10, $11::jsonb || jsonb_build_object('number', number), $12
           from numbered
       )`,
      values: [d.series, d.year, d.orderId, `${d.series}-${d.year}-`, d.id, d.sourceId, d.userId, d.accessTokenHash, d.totalMinor, d.currency, JSON.stringify(d.content), d.issuedAt],
    };
  },
  async findBySource(sql, kind, sourceId) {
    const { rows } = await sql.query<Row>(`select ${COLUMNS} from invoices.documents where kind = $1 and source_id = $2`, [kind, sourceId]);
    return rows[0] ? toDocument(rows[0]) : null;
  },
  async findInvoiceOf(sql, orderId) {
    const { rows } = await sql.query<Row>(`select ${COLUMNS} from invoices.documents where order_id = $1 and kind = 'invoice'`, [orderId]);
    return rows[0] ? toDocument(rows[0]) : null;
  },
  async find(sql, id) {
    const { rows } = await sql.query<Row>(`select ${COLUMNS} from invoices.documents where id = $1`, [id]);
    return rows[0] ? toDocument(rows[0]) : null;
  },
  async listFor(sql, orderId) {
    const { rows } = await sql.query<Row>(`select ${COLUMNS} from invoices.documents where order_id = $1 order by issued_at, number`, [orderId]);
    return rows.map(toDocument);
  },
};
