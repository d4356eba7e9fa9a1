import { html } from '@shop/web';
import type { Page, View } from '../server/view.ts';
import type { ProductDetail, Variant } from '../data/products.ts';
import { formatMoney } from '../components/money.ts';
import { productImage, uploadedImages } from '../components/product-card.ts';
import { stockLabel } from '../components/stock.ts';

/** The option that tells variants apart (size, finish...); colour is the product's own. */
function distinguishing(variants: Variant[]): string[] {
  const names = [...new Set(variants.flatMap((v) => Object.keys(v.options)))];
  const varying = names.filter((n) => new Set(variants.map((v) => v.options[n])).size > 1);
  return varying.length ? varying : names.slice(0, 1);
}

const label = (v: Variant, axes: string[]) => axes.map((a) => v.options[a]).filter(Boolean).join(' / ') || v.sku;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export function productPage(view: View, product: ProductDetail): Page {
  const variants = product.variants;
  const chosen = variants.find((v) => v.available > 0) ?? variants[0];
  const axes = distinguishing(variants);
  const fixed = Object.entries(chosen?.options ?? {}).filter(([k]) => !axes.includes(k));
  const price = chosen ? formatMoney(chosen.priceMinor, chosen.currency, view.locale) : '';
  const stock = stockLabel(chosen?.available ?? 0);
  const path = `/p/${product.slug}`;
  const category = product.categoryPath.at(-1);
  return {
    title: product.name,
    description: product.description.slice(0, 155) || product.name,
    canonical: path,
    og: { type: 'product', image: productImage(product.slug) },
    jsonLd: {
      '@context': 'https://schema.org',
      '@type': 'Product',
      name: product.name,
      description: product.description,
      image: [`${view.origin}${productImage(product.slug)}`],
      sku: chosen?.sku,
      url: `${view.origin}${path}`,
      ...(category ? { category: product.categoryPath.map((c) => c.name).join(' > ') } : {}),
      offers: variants.map((v) => ({
        '@type': 'Offer',
        sku: v.sku,
        price: (v.priceMinor / 100).toFixed(2),
        priceCurrency: v.currency,
        availability: v.available > 0 ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
        url: `${view.origin}${path}`,
      })),
    },
    body: html`<nav class="crumbs" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>${product.categoryPath.map(
      (c) => html`<li><a href="/c/${c.slug}">${c.name}</a></li>`,
    )}<li aria-current="page">${product.name}</li></ol></nav>
<div class="product" data-island="product" data-product-id="${product.id}" data-product-name="${product.name}">
  <div class="gallery" role="region" aria-label="Product images" tabindex="0">
    ${
      uploadedImages(product.images).length
        ? uploadedImages(product.images).map(
            (src, i) => html`<img src="${src}" alt="${i === 0 ? product.name : `${product.name}, view ${i + 1}`}" width="600" height="600" ${i === 0 ? html`fetchpriority="high"` : html`loading="lazy" decoding="async"`}>`,
          )
        : html`<img src="${productImage(product.slug)}" alt="${product.name}" width="600" height="600" fetchpriority="high">
    <img src="${productImage(product.slug, 1)}" alt="${product.name}, another view" width="600" height="600" loading="lazy" decoding="async">`
    }
  </div>
  <div class="buy">
    <h1>${product.name}</h1>
    <p class="price price-lg" data-price>${price}</p>
    <form method="post" action="/cart/add" class="buy-form" data-add-to-cart>
      <input type="hidden" name="_csrf" value="${view.csrf}">
      ${fixed.map(([k, v]) => html`<p class="fixed-option"><span>${capital(k)}:</span> ${v}</p>`)}
      <fieldset class="variants">
        <legend>${capital(axes.join(' / ') || 'Option')}</legend>
        <div class="swatches">${variants.map((v) => {
          const s = stockLabel(v.available);
          return html`<label class="swatch ${v.available <= 0 ? 'swatch-out' : ''}">
            <input type="radio" name="variantId" value="${v.id}" ${v === chosen ? 'checked' : ''} ${v.available <= 0 ? 'disabled' : ''}
              data-price-text="${formatMoney(v.priceMinor, v.currency, view.locale)}" data-stock-text="${s.text}" data-tone="${s.tone}">
            <span>${label(v, axes)}</span>
          </label>`;
        })}</div>
      </fieldset>
      <p class="stock stock-${stock.tone}" data-stock role="status">${stock.text}</p>
      <div class="qty-row">
        <label for="quantity">Quantity</label>
        <input id="quantity" name="quantity" type="number" min="1" max="99" value="1" inputmode="numeric" class="qty">
      </div>
      <button class="button button-wide" type="submit" ${stock.tone === 'out' ? 'disabled' : ''}>Add to cart</button>
    </form>
    <div class="description"><h2>About this product</h2><p>${product.description}</p>
    <ul class="facts"><li>Free returns within 30 days</li><li>Ships in 1–3 working days</li></ul></div>
  </div>
</div>`,
  };
}
