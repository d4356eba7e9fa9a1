import PDFDocument from 'pdfkit';
import { formatMoney, type DocumentContent, type Party } from '../domain/invoice-document.ts';

const TITLES = { invoice: 'Invoice', credit_note: 'Credit note' } as const;

/**
 * Renders an invoice or credit note with pdfkit's built-in Helvetica (no font files to ship).
 * The creation date is the issue date, so the same content renders the same document.
 */
export function renderDocumentPdf(c: DocumentContent): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `${TITLES[c.kind]} ${c.number}`, Author: c.seller.name, CreationDate: new Date(c.issuedAt) },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const money = (minor: number) => formatMoney(minor, c.currency);
  const left = 50;
  const width = doc.page.width - 100;

  doc.font('Helvetica-Bold').fontSize(20).text(`${TITLES[c.kind]} ${c.number}`, left, 50);
  doc.font('Helvetica').fontSize(10).moveDown(0.5);
  doc.text(`Issued: ${c.issuedAt.slice(0, 10)}`);
  doc.text(`Order: ${c.orderNumber}`);
  if (c.correctsNumber) doc.text(`Corrects invoice: ${c.correctsNumber}`);

  const partyTop = doc.y + 15;
  const party = (title: string, p: Party, x: number) => {
    doc.font('Helvetica-Bold').text(title, x, partyTop, { width: width / 2 - 10 });
    doc.font('Helvetica').text(p.name, { width: width / 2 - 10 });
    for (const line of p.addressLines) doc.text(line, { width: width / 2 - 10 });
    if (p.email) doc.text(p.email, { width: width / 2 - 10 });
    if (p.taxId) doc.text(`Tax ID: ${p.taxId}`, { width: width / 2 - 10 });
    return doc.y;
  };
  const bottom = Math.max(party('Seller', c.seller, left), party('Bill to', c.buyer, left + width / 2));

  const cols = [left, left + 70, left + 280, left + 330, left + 415];
  const row = (cells: string[], y: number, bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    doc.text(cells[0]!, cols[0], y, { width: 65 });
    doc.text(cells[1]!, cols[1], y, { width: 205 });
    doc.text(cells[2]!, cols[2], y, { width: 45, align: 'right' });
    doc.text(cells[3]!, cols[3], y, { width: 80, align: 'right' });
    doc.text(cells[4]!, cols[4], y, { width: 80, align: 'right' });
    return doc.y + 4;
  };
  let y = row(['SKU', 'Description', 'Qty', 'Unit price', 'Amount'], bottom + 25, true);
  for (const l of c.lines) y = row([l.sku, l.description, String(l.quantity), money(l.unitPriceMinor), money(l.amountMinor)], y);

  const total = (label: string, value: string, bold = false) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica');
    doc.text(label, cols[2], y, { width: 160, align: 'right' });
    doc.text(value, cols[4], y, { width: 80, align: 'right' });
    y = doc.y + 4;
  };
  y += 10;
  total('Subtotal', money(c.lines.reduce((s, l) => s + l.amountMinor, 0)));
  if (c.shippingMinor > 0) total('Shipping', money(c.shippingMinor));
  if (c.discountMinor > 0) total('Discounts', money(-c.discountMinor));
  const tax = c.taxMinor ?? 0;
  if (tax > 0) total(c.taxInclusive ? 'Tax included' : 'Tax', money(tax));
  total(c.kind === 'invoice' ? 'Total' : 'Total credited', money(c.totalMinor), true);

  y += 15;
  doc.font('Helvetica-Bold').text('Tax breakdown', left, y);
  y = doc.y + 4;
  if (c.taxLines.length === 0) {
    doc.font('Helvetica').text('No tax charged on this order.', left, y);
  } else {
    y = row(['Rate', 'Tax', '', 'Taxable', 'Tax amount'], y, true);
    for (const t of c.taxLines) y = row([`${(t.rateBps / 100).toFixed(2)} %`, t.name, '', money(t.taxableMinor), money(t.taxMinor)], y);
  }
  if (c.note) doc.font('Helvetica').text(`Reason: ${c.note}`, left, doc.y + 15, { width });
  doc.end();
  return done;
}
