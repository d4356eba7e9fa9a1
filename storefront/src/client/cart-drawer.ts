import type { paths } from '@shop/sdk';
import { csrfHeaders, errorMessage, esc, money, shop } from './api.ts';

type Cart = paths['/api/cart']['get']['responses'][200]['content']['application/json'];

const drawer = () => document.getElementById('cart-drawer');
let opener: HTMLElement | null = null;

export function showCount(cart: Cart | undefined) {
  for (const badge of document.querySelectorAll<HTMLElement>('[data-cart-count]')) {
    const n = cart?.itemCount ?? 0;
    badge.textContent = String(n);
    badge.hidden = n === 0;
    badge.setAttribute('aria-label', `${n} items`);
  }
}

function render(cart: Cart) {
  const body = drawer()?.querySelector<HTMLElement>('[data-drawer-body]');
  if (!body) return;
  showCount(cart);
  if (cart.lines.length === 0) {
    body.innerHTML = '<p class="empty">Your cart is empty.</p>';
    return;
  }
  const currency = cart.currency ?? 'EUR';
  body.innerHTML = `<ul class="drawer-lines">${cart.lines
    .map((l) => {
      const issue = l.unavailable
        ? 'No longer available'
        : l.insufficientStock
          ? `Only ${l.insufficientStock.available} left`
          : l.priceChanged
            ? `Price changed from ${money(l.priceChanged.was, currency)}`
            : '';
      return `<li data-variant="${esc(l.variantId)}"><div><p class="line-name">${esc(l.productName)}</p><p class="line-opts">${esc(Object.values(l.options).join(', '))}</p>${
        issue ? `<p class="issue">${esc(issue)}</p>` : ''
      }<div class="stepper"><button type="button" class="icon-button" data-step="-1" aria-label="One less ${esc(l.productName)}">−</button><span aria-live="polite">${l.quantity}</span><button type="button" class="icon-button" data-step="1" aria-label="One more ${esc(l.productName)}">+</button><button type="button" class="link-button" data-remove>Remove</button></div></div><p class="line-total">${money(l.lineTotalMinor, currency)}</p></li>`;
    })
    .join('')}</ul>${cart.hasIssues ? '<p class="issue">Some items changed: review them in the cart.</p>' : ''}
<div class="drawer-foot"><p class="subtotal"><span>Subtotal</span><strong>${money(cart.subtotalMinor, currency)}</strong></p>
<a class="button button-wide" href="/checkout">Checkout</a><a class="button button-secondary button-wide" href="/cart">View cart</a></div>`;
  for (const li of body.querySelectorAll<HTMLElement>('li[data-variant]')) {
    const variantId = li.dataset.variant!;
    const line = cart.lines.find((l) => l.variantId === variantId)!;
    li.querySelectorAll<HTMLButtonElement>('[data-step]').forEach((b) =>
      b.addEventListener('click', () => change(variantId, line.quantity + Number(b.dataset.step))),
    );
    li.querySelector('[data-remove]')?.addEventListener('click', () => change(variantId, 0));
  }
}

async function change(variantId: string, quantity: number) {
  const { data, error } = await shop.PATCH('/api/cart/items/{variantId}', { params: { path: { variantId } }, body: { quantity }, headers: csrfHeaders() });
  if (data) render(data);
  else alertIn(errorMessage(error, 'The cart could not be changed.'));
}

function alertIn(message: string) {
  const body = drawer()?.querySelector<HTMLElement>('[data-drawer-body]');
  body?.insertAdjacentHTML('afterbegin', `<p class="alert alert-error" role="alert">${esc(message)}</p>`);
}

export async function openDrawer(cart?: Cart) {
  const d = drawer();
  if (!d) return;
  opener = document.activeElement as HTMLElement | null;
  d.hidden = false;
  document.querySelector<HTMLElement>('[data-drawer-backdrop]')!.hidden = false;
  document.body.classList.add('drawer-open');
  d.querySelector<HTMLElement>('[data-drawer-close]')?.focus();
  if (cart) render(cart);
  else {
    const { data } = await shop.GET('/api/cart');
    if (data) render(data);
  }
}

export function closeDrawer() {
  const d = drawer();
  if (!d || d.hidden) return;
  d.hidden = true;
  document.querySelector<HTMLElement>('[data-drawer-backdrop]')!.hidden = true;
  document.body.classList.remove('drawer-open');
  opener?.focus();
}

/** The cart link opens the drawer (the cart page stays one click away); adding to cart opens it too. */
export function cartDrawer() {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-cart-open]')) {
    link.addEventListener('click', (e) => {
      if (e.metaKey || e.ctrlKey || e.shiftKey || location.pathname === '/cart') return;
      e.preventDefault();
      void openDrawer();
    });
  }
  document.querySelector('[data-drawer-close]')?.addEventListener('click', closeDrawer);
  document.querySelector('[data-drawer-backdrop]')?.addEventListener('click', closeDrawer);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closeDrawer();
    const d = drawer();
    // Keeps Tab inside the open dialog.
    if (e.key === 'Tab' && d && !d.hidden) {
      const focusable = [...d.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input')];
      const first = focusable[0];
      const last = focusable.at(-1);
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last?.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first?.focus();
      }
    }
  });
  void shop.GET('/api/cart').then(({ data }) => showCount(data));

  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-add-to-cart]')) {
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const fields = new FormData(form);
      const variantId = String(fields.get('variantId') ?? '');
      const quantity = Number(fields.get('quantity') ?? 1);
      const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
      form.querySelector('.alert')?.remove();
      button.disabled = true;
      const { data, error } = await shop.POST('/api/cart/items', { body: { variantId, quantity }, headers: csrfHeaders() });
      button.disabled = false;
      if (data) {
        void openDrawer(data);
      } else {
        button.insertAdjacentHTML('afterend', `<p class="alert alert-error" role="alert">${esc(errorMessage(error, navigator.onLine ? 'Could not add to cart.' : 'You are offline: adding to the cart needs the network.'))}</p>`);
      }
    });
  }
}
