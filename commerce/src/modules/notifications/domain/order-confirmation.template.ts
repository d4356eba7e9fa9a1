import { htmlLayout, oneLine } from './email-layout.ts';
import { escapeHtml } from './html-escape.ts';
import type { RenderedEmail } from './rendered-email.ts';
import { formatMoney } from './money-format.ts';

export interface OrderConfirmationData {
  orderId: string;
  customerName: string;
  currency: string;
  lines: ReadonlyArray<{ name: string; quantity: number; lineTotalMinor: number }>;
  subtotalMinor: number;
  shippingMinor: number;
  totalMinor: number;
  /** Promotions applied (each with what it took off); absent on confirmations stored before promotions existed. */
  promotions?: ReadonlyArray<{ name: string; code: string | null; amountMinor: number }>;
  /** Tax of the order; `taxInclusive` says whether it is inside the prices above or added to them. */
  taxMinor?: number;
  taxInclusive?: boolean;
  locale?: string;
}

/** The discount and tax rows between shipping and the total, as [label, amount] pairs. */
function adjustmentRows(data: OrderConfirmationData, money: (minor: number) => string): [string, string][] {
  const rows: [string, string][] = (data.promotions ?? [])
    .filter((p) => p.amountMinor > 0)
    .map((p) => [`Discount: ${p.name}${p.code ? ` (${p.code})` : ''}`, `-${money(p.amountMinor)}`]);
  if (data.taxMinor !== undefined && data.taxMinor > 0) rows.push([data.taxInclusive ? 'Tax included' : 'Tax', money(data.taxMinor)]);
  return rows;
}

export function renderOrderConfirmation(data: OrderConfirmationData): RenderedEmail {
  const money = (minor: number) => formatMoney(minor, data.currency, data.locale);
  const subject = oneLine(`Order ${data.orderId} confirmed`);
  const text = [
    `Hello ${data.customerName},`,
    '',
    `thank you for your order ${data.orderId}.`,
    '',
    ...data.lines.map((l) => `${l.quantity} x ${l.name}  ${money(l.lineTotalMinor)}`),
    '',
    `Subtotal: ${money(data.subtotalMinor)}`,
    `Shipping: ${money(data.shippingMinor)}`,
    ...adjustmentRows(data, money).map(([label, amount]) => `${label}: ${amount}`),
    `Total:    ${money(data.totalMinor)}`,
  ].join('\n');
  const rows = data.lines
    .map((l) => `<tr><td>${l.quantity} &times; ${escapeHtml(l.name)}</td><td style="text-align:right">${escapeHtml(money(l.lineTotalMinor))}</td></tr>`)
    .join('\n');
  const html = htmlLayout(
    subject,
    [
      `<p>Hello ${escapeHtml(data.customerName)},</p>`,
      `<p>thank you for your order <strong>${escapeHtml(data.orderId)}</strong>.</p>`,
      `<table style="width:100%;border-collapse:collapse">`,
      rows,
      `<tr><td>Subtotal</td><td style="text-align:right">${escapeHtml(money(data.subtotalMinor))}</td></tr>`,
      `<tr><td>Shipping</td><td style="text-align:right">${escapeHtml(money(data.shippingMinor))}</td></tr>`,
      ...adjustmentRows(data, money).map(([label, amount]) => `<tr><td>${escapeHtml(label)}</td><td style="text-align:right">${escapeHtml(amount)}</td></tr>`),
      `<tr><th style="text-align:left">Total</th><th style="text-align:right">${escapeHtml(money(data.totalMinor))}</th></tr>`,
      `</table>`,
    ].join('\n'),
  );
  return { subject, text, html };
}
