/** The variant picker: price, stock and the button follow the chosen variant. */
export function variantPicker() {
  const root = document.querySelector<HTMLElement>('[data-island="product"]');
  if (!root) return;
  const price = root.querySelector<HTMLElement>('[data-price]');
  const stock = root.querySelector<HTMLElement>('[data-stock]');
  const button = root.querySelector<HTMLButtonElement>('form[data-add-to-cart] button[type=submit]');
  root.querySelectorAll<HTMLInputElement>('input[name=variantId]').forEach((radio) =>
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      if (price) price.textContent = radio.dataset.priceText ?? '';
      if (stock) {
        stock.textContent = radio.dataset.stockText ?? '';
        stock.className = `stock stock-${radio.dataset.tone}`;
      }
      if (button) button.disabled = radio.dataset.tone === 'out';
    }),
  );
}
