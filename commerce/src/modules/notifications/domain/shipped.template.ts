import { htmlLayout, oneLine } from './email-layout.ts';
import { escapeHtml, safeUrl } from './html-escape.ts';
import type { RenderedEmail } from './rendered-email.ts';

export interface ShippedData {
  orderId: string;
  customerName: string;
  carrier: string;
  trackingNumber: string;
  trackingUrl?: string;
}

export function renderShipped(data: ShippedData): RenderedEmail {
  const subject = oneLine(`Order ${data.orderId} is on its way`);
  const text = [
    `Hello ${data.customerName},`,
    '',
    `your order ${data.orderId} has shipped with ${data.carrier}.`,
    `Tracking number: ${data.trackingNumber}`,
    ...(data.trackingUrl ? [`Track it: ${data.trackingUrl}`] : []),
  ].join('\n');
  const html = htmlLayout(
    subject,
    [
      `<p>Hello ${escapeHtml(data.customerName)},</p>`,
      `<p>your order <strong>${escapeHtml(data.orderId)}</strong> has shipped with ${escapeHtml(data.carrier)}.</p>`,
      `<p>Tracking number: <strong>${escapeHtml(data.trackingNumber)}</strong></p>`,
      ...(data.trackingUrl ? [`<p><a href="${safeUrl(data.trackingUrl)}">Track your parcel</a></p>`] : []),
    ].join('\n'),
  );
  return { subject, text, html };
}
