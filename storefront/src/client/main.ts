import { trackViews } from './analytics.ts';
import { cartDrawer } from './cart-drawer.ts';
import { checkout } from './checkout.ts';
import { liveOrder } from './order.ts';
import { variantPicker } from './product.ts';
import { searchAsYouType } from './search.ts';

/** Small islands over server-rendered pages: each finds its element or does nothing. */
function start() {
  cartDrawer();
  searchAsYouType();
  variantPicker();
  checkout();
  liveOrder();
  trackViews();
  for (const control of document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-autosubmit]')) {
    control.addEventListener('change', () => control.form?.requestSubmit());
  }
  document.querySelector<HTMLElement>('[data-focus-first]')?.focus();
  const banner = document.querySelector<HTMLElement>('[data-net-status]');
  const network = () => {
    if (!banner) return;
    banner.hidden = navigator.onLine;
    banner.textContent = navigator.onLine ? '' : 'You are offline. Saved pages still open; your cart, checkout and orders need the network.';
  };
  addEventListener('online', network);
  addEventListener('offline', network);
  network();
  if ('serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
}

start();
