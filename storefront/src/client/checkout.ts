import { csrfHeaders, esc, money, shop } from './api.ts';

/**
 * Checkout: one submission per key (a double click sends nothing twice), shipping re-quoted when the
 * country changes, and a clear word when the network is gone.
 */
export function checkout() {
  const form = document.querySelector<HTMLFormElement>('form[data-island="checkout"]');
  if (!form) return;
  const button = form.querySelector<HTMLButtonElement>('[data-place-order]')!;
  const offlineNote = document.querySelector<HTMLElement>('[data-needs-network]');
  let sent = false;

  const network = () => {
    if (offlineNote) offlineNote.hidden = navigator.onLine;
    button.disabled = !navigator.onLine || sent;
  };
  addEventListener('online', network);
  addEventListener('offline', network);
  network();

  form.addEventListener('submit', (e) => {
    if (sent || !navigator.onLine) {
      e.preventDefault();
      return;
    }
    sent = true;
    button.disabled = true;
    button.textContent = 'Placing your order…';
  });
  // Back from the order page with the browser's back button: the form is usable again (same key).
  addEventListener('pageshow', (e) => {
    if (e.persisted) {
      sent = false;
      button.textContent = 'Place order';
      network();
    }
  });

  const total = form.querySelector<HTMLElement>('[data-total]')!;
  const shippingPrice = form.querySelector<HTMLElement>('[data-shipping-price]')!;
  const subtotal = Number(total.dataset.subtotalMinor);
  const currency = total.dataset.currency ?? 'EUR';
  const options = form.querySelector<HTMLElement>('[data-shipping-options]')!;
  const tax = form.querySelector<HTMLElement>('[data-tax]');
  const country = form.querySelector<HTMLSelectElement>('[data-quote]');
  // The total comes from the API's quote (discounts and taxes included); without an answer, subtotal plus shipping.
  const updateTotal = async () => {
    const chosen = options.querySelector<HTMLInputElement>('input:checked');
    const price = Number(chosen?.dataset.priceMinor ?? 0);
    shippingPrice.textContent = chosen ? (price === 0 ? 'Free' : money(price, currency)) : '—';
    total.textContent = money(subtotal + price, currency);
    const code = form.dataset.promotionCode;
    const { data } = await shop.POST('/api/checkout/quote', {
      body: { ...(country ? { country: country.value } : {}), ...(chosen && country ? { shippingOptionId: chosen.value } : {}), ...(code ? { promotionCode: code } : {}) },
      headers: csrfHeaders(),
    });
    if (!data) return;
    total.textContent = money(data.totalMinor, data.currency);
    if (data.shippingDiscountMinor > 0 && data.shippingDiscountMinor === data.shippingMinor) shippingPrice.textContent = 'Free';
    if (tax) tax.textContent = money(data.taxMinor, data.currency);
  };
  options.addEventListener('change', () => void updateTotal());

  form.querySelector<HTMLSelectElement>('[data-quote]')?.addEventListener('change', async (e) => {
    const country = (e.target as HTMLSelectElement).value;
    const weightGrams = Number(options.dataset.weightGrams ?? 1000);
    const { data } = await shop.GET('/api/shipping/options', { params: { query: { country, weightGrams, subtotalMinor: subtotal, currency } } });
    const list = data?.options ?? [];
    options.querySelectorAll('label').forEach((l) => l.remove());
    options.insertAdjacentHTML(
      'beforeend',
      list.length === 0
        ? '<label class="option">We do not ship there yet.</label>'
        : list
            .map(
              (o, i) =>
                `<label class="option"><input type="radio" name="shippingOptionId" value="${esc(o.id)}" ${i === 0 ? 'checked' : ''} data-price-minor="${o.priceMinor}"><span class="option-name">${esc(o.name)}${
                  o.estimatedDays ? `<small>${o.estimatedDays.min}–${o.estimatedDays.max} working days</small>` : ''
                }</span><span class="option-price">${o.priceMinor === 0 ? 'Free' : money(o.priceMinor, o.currency)}</span></label>`,
            )
            .join(''),
    );
    await updateTotal();
  });
}
