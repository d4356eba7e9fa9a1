import { html, type Html } from '@shop/web';
import { ORDER_STEPS } from './order-status-text.ts';

export { ORDER_STEPS, STATUS_TEXT } from './order-status-text.ts';

/** A step list the order page's script updates in place (it shares these class names). */
export function statusTracker(status: string): Html {
  const reached = ORDER_STEPS.findIndex(([s]) => s === status);
  return html`<ol class="tracker" data-tracker>${ORDER_STEPS.map(
    ([s, label], i) => html`<li data-step="${s}" class="${reached >= 0 && i <= reached ? 'done' : ''} ${i === reached ? 'current' : ''}" ${i === reached ? html`aria-current="step"` : ''}>${label}</li>`,
  )}</ol>`;
}
