import { html, type Html } from '@shop/web';

const TONE: Record<string, string> = {
  pending_payment: 'badge-warning',
  paid: 'badge-ok',
  fulfilled: 'badge-ok',
  shipped: 'badge-ok',
  delivered: 'badge-ok',
  payment_failed: 'badge-danger',
  cancelled: 'badge-danger',
  refunded: 'badge-danger',
  label_purchased: 'badge-warning',
  in_transit: 'badge-ok',
  requested: 'badge-warning',
  captured: 'badge-ok',
  partially_refunded: 'badge-warning',
  failed: 'badge-danger',
  dead: 'badge-danger',
};

/** A status as a coloured word (the word carries the meaning; colour only helps). */
export const statusBadge = (status: string): Html => html`<span class="badge ${TONE[status] ?? ''}">${status.replaceAll('_', ' ')}</span>`;
