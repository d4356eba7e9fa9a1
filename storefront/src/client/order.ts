import { ORDER_STEPS, paymentFailureText, STATUS_TEXT as TEXT } from '../components/order-status-text.ts';
import { shop } from './api.ts';

const STEPS = ORDER_STEPS.map(([status]) => status);

const FINAL = new Set(['delivered', 'cancelled', 'refunded']);

/** Timeline causes quote what the shopper typed (a return's reason): never markup. */
const escapeText = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The order page follows the order by itself: status, steps, timeline, and what the shopper must do. */
export function liveOrder() {
  const root = document.querySelector<HTMLElement>('[data-island="order"]');
  if (!root) return;
  const id = root.dataset.orderId!;
  const token = root.dataset.token;
  let status = root.dataset.status!;
  let delay = 1000;

  const paint = (next: string, payment: { state: string; failureCode: string | null } | undefined) => {
    root.dataset.status = next;
    root.querySelector('[data-status-text]')!.textContent = TEXT[next] ?? next;
    const reached = STEPS.indexOf(next);
    root.querySelectorAll<HTMLElement>('[data-tracker] li').forEach((li, i) => {
      li.classList.toggle('done', reached >= 0 && i <= reached);
      li.classList.toggle('current', i === reached);
      if (i === reached) li.setAttribute('aria-current', 'step');
      else li.removeAttribute('aria-current');
    });
    const failed = next === 'payment_failed' || (next === 'cancelled' && payment?.state === 'failed');
    root.querySelector<HTMLElement>('[data-payment-failed]')!.hidden = !failed;
    // The page may have been rendered before the payment failed: say why now that it is known.
    if (failed && payment) root.querySelector('[data-failure-text]')!.textContent = paymentFailureText(payment.failureCode);
    root.querySelector<HTMLElement>('[data-auth-needed]')!.hidden = !(next === 'pending_payment' && payment?.state === 'requires_confirmation');
  };

  const poll = async () => {
    if (document.hidden) return setTimeout(poll, 2000);
    const headers = token ? { 'x-order-token': token } : {};
    const [order, payment] = await Promise.all([
      shop.GET('/api/orders/{id}', { params: { path: { id } }, headers }),
      shop.GET('/api/payments/{orderId}', { params: { path: { orderId: id } }, headers }),
    ]).catch(() => [undefined, undefined] as const);
    const next = order?.data?.status;
    if (next) {
      if (next !== status) {
        status = next;
        delay = 1000;
        const timeline = root.querySelector('[data-timeline]');
        if (timeline && order.data) {
          timeline.innerHTML = order.data.timeline
            .map((t) => `<li><time datetime="${t.at}">${new Date(t.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time> ${t.from === t.to ? escapeText(t.cause) : (TEXT[t.to] ?? t.to)}</li>`)
            .join('');
        }
      }
      paint(next, payment?.data);
    }
    if (FINAL.has(status)) return;
    delay = Math.min(delay * 1.3, status === 'pending_payment' || status === 'paid' ? 3000 : 10_000);
    setTimeout(poll, delay);
  };
  setTimeout(poll, 500);
}
