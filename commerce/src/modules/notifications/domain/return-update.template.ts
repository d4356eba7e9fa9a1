import { htmlLayout, oneLine } from './email-layout.ts';
import { escapeHtml } from './html-escape.ts';
import { formatMoney } from './money-format.ts';
import type { RenderedEmail } from './rendered-email.ts';

export type ReturnStep =
  | { step: 'requested'; units: number }
  | { step: 'approved'; note: string | null }
  | { step: 'refused'; note: string | null }
  | { step: 'received'; refundMinor: number; currency: string };

export interface ReturnUpdateData {
  orderNumber: string;
  customerName: string;
  update: ReturnStep;
}

function sentences(u: ReturnStep): string[] {
  switch (u.step) {
    case 'requested':
      return [`we have your request to return ${u.units} item${u.units === 1 ? '' : 's'}.`, 'We will tell you once it is reviewed.'];
    case 'approved':
      return ['your return was approved: please send the items back.', ...(u.note ? [`Note: ${u.note}`] : [])];
    case 'refused':
      return ['we are sorry: your return was refused.', ...(u.note ? [`Reason: ${u.note}`] : [])];
    case 'received':
      return [
        'we received your returned items.',
        u.refundMinor > 0 ? `${formatMoney(u.refundMinor, u.currency)} is on its way back to you.` : 'Those items had already been refunded.',
      ];
  }
}

const SUBJECTS: Record<ReturnStep['step'], string> = {
  requested: 'return requested',
  approved: 'return approved',
  refused: 'return refused',
  received: 'return received',
};

/** One email per step of a return, each with its own subject. */
export function renderReturnUpdate(data: ReturnUpdateData): RenderedEmail {
  const subject = oneLine(`Order ${data.orderNumber}: ${SUBJECTS[data.update.step]}`);
  const body = sentences(data.update);
  const text = [`Hello ${data.customerName},`, '', `order ${data.orderNumber}: ${body.join('\n')}`].join('\n');
  const html = htmlLayout(
    subject,
    [`<p>Hello ${escapeHtml(data.customerName)},</p>`, `<p>order <strong>${escapeHtml(data.orderNumber)}</strong>: ${body.map(escapeHtml).join('</p><p>')}</p>`].join('\n'),
  );
  return { subject, text, html };
}
