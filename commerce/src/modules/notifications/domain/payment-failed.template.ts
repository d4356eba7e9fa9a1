import { htmlLayout, oneLine } from './email-layout.ts';
import { escapeHtml, safeUrl } from './html-escape.ts';
import type { RenderedEmail } from './rendered-email.ts';
import { formatMoney } from './money-format.ts';

export interface PaymentFailedData {
  orderId: string;
  customerName: string;
  totalMinor: number;
  currency: string;
  /** A sentence for the shopper, e.g. "Your card was declined." (never a raw gateway message with card data). */
  reason: string;
  /** Where the shopper can pay again, if they can. */
  retryUrl?: string;
  locale?: string;
}

export function renderPaymentFailed(data: PaymentFailedData): RenderedEmail {
  const total = formatMoney(data.totalMinor, data.currency, data.locale);
  const subject = oneLine(`Payment for order ${data.orderId} failed: the order is cancelled`);
  const text = [
    `Hello ${data.customerName},`,
    '',
    `we could not take the payment of ${total} for your order ${data.orderId}.`,
    data.reason,
    'The order is cancelled and nothing was charged.',
    ...(data.retryUrl ? ['', `You can try again here: ${data.retryUrl}`] : []),
  ].join('\n');
  const html = htmlLayout(
    subject,
    [
      `<p>Hello ${escapeHtml(data.customerName)},</p>`,
      `<p>we could not take the payment of <strong>${escapeHtml(total)}</strong> for your order <strong>${escapeHtml(data.orderId)}</strong>.</p>`,
      `<p>${escapeHtml(data.reason)}</p>`,
      ...(data.retryUrl ? [`<p><a href="${safeUrl(data.retryUrl)}">Try again</a></p>`] : []),
    ].join('\n'),
  );
  return { subject, text, html };
}
