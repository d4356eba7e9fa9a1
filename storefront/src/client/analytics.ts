/**
 * Page and product views to the shop's analytics, through the storefront's own `/t` (no third party).
 * Views only: the API counts what it does itself (cart adds, searches, checkout), so the browser
 * sending those too would count them twice.
 */
export function trackViews() {
  const page = { path: location.pathname, url: location.href, title: document.title, referrer: document.referrer, search: location.search };
  const batch: unknown[] = [{ type: 'page', name: document.title, properties: page }];
  const product = document.querySelector<HTMLElement>('[data-island="product"]');
  if (product) {
    batch.push({ type: 'track', event: 'Product Viewed', properties: { product_id: product.dataset.productId, name: product.dataset.productName, ...page } });
  }
  send(batch);
}

function send(batch: unknown[]) {
  const body = JSON.stringify({ batch });
  if (!navigator.sendBeacon?.('/t', body)) void fetch('/t', { method: 'POST', body, keepalive: true, headers: { 'content-type': 'application/json' } }).catch(() => undefined);
}
