import { field, formAlert, html, type FieldErrors, type Html } from '@shop/web';
import { actionForm, selectField, textArea } from '../components/fields.ts';
import { dateTime, money } from '../components/money.ts';
import { formatOptions, formatPrice } from '../components/variant-form.ts';
import type { CategoryOption } from '../data/categories.ts';
import type { AdminProduct, StockAdjustment } from '../data/products.ts';
import type { Page } from '../server/view.ts';

/** Which form of the page the API refused, with its messages and what was typed. */
export interface FormProblem {
  form: string;
  fields: FieldErrors;
  message?: string | undefined;
  values: Record<string, string>;
}

export interface ProductView {
  locale: string;
  csrf: string;
  product: AdminProduct;
  categories: CategoryOption[];
  history: Map<string, StockAdjustment[]>;
  canWrite: boolean;
  canAdjustStock: boolean;
  storefrontUrl: string | undefined;
  problem?: FormProblem | undefined;
}

export const PRODUCT_LABELS = { name: 'Name', slug: 'Slug', description: 'Description', categoryId: 'Category' };
export const VARIANT_LABELS = { sku: 'SKU', options: 'Options', priceMinor: 'Price', price: 'Price', currency: 'Currency', weightGrams: 'Weight', onHand: 'Opening stock' };
export const STOCK_LABELS = { delta: 'Change', reason: 'Reason' };

const categoryChoices = (categories: CategoryOption[]): [string, string][] => [['', 'No category'], ...categories.map((c): [string, string] => [c.id, c.label])];

function problemFor(v: { problem?: FormProblem | undefined }, form: string) {
  return v.problem?.form === form ? v.problem : undefined;
}

/** Name, slug, description and category: shared by the new-product page and the product page. */
function detailsFields(prefix: string, values: Record<string, string>, errors: FieldErrors, categories: CategoryOption[]): Html {
  return html`${field('name', 'Name', errors, { id: `${prefix}-name`, value: values.name, maxlength: 200 })}
  ${field('slug', 'Slug', errors, { id: `${prefix}-slug`, value: values.slug, maxlength: 120, hint: 'The address in the shop: lower-case letters, digits and dashes, e.g. linen-shirt.' })}
  ${textArea('description', 'Description', errors, { id: `${prefix}-description`, value: values.description })}
  ${selectField('categoryId', 'Category', errors, { id: `${prefix}-category`, value: values.categoryId, choices: categoryChoices(categories) })}`;
}

export function newProductPage(v: { csrf: string; categories: CategoryOption[]; problem?: FormProblem | undefined }): Page {
  const p = problemFor(v, 'new-product');
  return {
    status: p ? 400 : 200,
    title: 'New product',
    body: html`<p class="breadcrumb"><a href="/products">Products</a></p>
<div class="page-head"><h1>New product</h1></div>
<section class="card">
  ${actionForm('/products', v.csrf, html`<div class="stack">${formAlert(p?.message)}
    ${detailsFields('new', p?.values ?? {}, p?.fields ?? {}, v.categories)}
    <p class="hint">The product starts as a draft: add its variants, then publish it.</p>
    <div><button class="button button-primary" type="submit">Create product</button></div></div>`, { label: 'New product' })}
</section>`,
  };
}

function variantRow(v: ProductView, variant: AdminProduct['variants'][number]): Html {
  const editProblem = problemFor(v, `variant-${variant.id}`);
  const stockProblem = problemFor(v, `stock-${variant.id}`);
  const values = editProblem?.values ?? { sku: variant.sku, options: formatOptions(variant.options), price: formatPrice(variant.priceMinor), weightGrams: String(variant.weightGrams) };
  const history = v.history.get(variant.id) ?? [];
  const id = variant.id.slice(0, 8);
  return html`<tr>
  <td><code>${variant.sku}</code></td>
  <td>${Object.entries(variant.options).map(([k, val]) => html`<span class="badge">${k}: ${val}</span> `)}</td>
  ${v.canWrite ? html`<td class="num">${money(variant.priceMinor, variant.currency, v.locale)}</td>` : ''}
  <td class="num">${variant.weightGrams} g</td>
  <td class="num">${variant.onHand}</td><td class="num">${variant.reserved}</td>
  <td class="num"><span class="badge ${variant.available === 0 ? 'badge-danger' : variant.available <= 5 ? 'badge-warning' : 'badge-ok'}">${variant.available}</span></td>
</tr>
<tr class="variant-tools"><td colspan="${v.canWrite ? 7 : 6}">
  <div class="row">
  ${
    v.canWrite
      ? html`<details ${editProblem ? 'open' : ''}><summary>Edit ${variant.sku}</summary>
    ${actionForm(`/products/${v.product.id}/variants/${variant.id}`, v.csrf, html`${formAlert(editProblem?.message)}<div class="row">
      ${field('sku', 'SKU', editProblem?.fields ?? {}, { id: `sku-${id}`, value: values.sku, maxlength: 64 })}
      ${field('options', 'Options', editProblem?.fields ?? {}, { id: `options-${id}`, value: values.options, required: false, maxlength: 400 })}
      ${field('price', `Price (${variant.currency})`, editProblem?.fields ?? {}, { id: `price-${id}`, value: values.price, inputmode: 'decimal', maxlength: 14 })}
      ${field('weightGrams', 'Weight (g)', editProblem?.fields ?? {}, { id: `weight-${id}`, value: values.weightGrams, inputmode: 'numeric', maxlength: 8 })}
      <button class="button" type="submit">Save variant</button></div>`, { label: `Edit ${variant.sku}` })}
    </details>`
      : ''
  }
  ${
    v.canAdjustStock
      ? html`<details class="history" ${stockProblem ? 'open' : ''}><summary>Stock of ${variant.sku}: adjust and history</summary>
    ${actionForm(`/products/${v.product.id}/variants/${variant.id}/stock`, v.csrf, html`${formAlert(stockProblem?.message)}<div class="row">
      ${field('delta', 'Change (+ or −)', stockProblem?.fields ?? {}, { id: `delta-${id}`, value: stockProblem?.values.delta, inputmode: 'numeric', maxlength: 8, hint: 'e.g. 10 received, -2 damaged' })}
      ${field('reason', 'Reason', stockProblem?.fields ?? {}, { id: `reason-${id}`, value: stockProblem?.values.reason, maxlength: 500 })}
      <button class="button" type="submit">Adjust stock</button></div>`, { label: `Adjust stock of ${variant.sku}` })}
    ${
      history.length
        ? html`<table class="table"><caption class="visually-hidden">Stock history of ${variant.sku}</caption>
      <thead><tr><th scope="col">When</th><th scope="col" class="num">Change</th><th scope="col" class="num">On hand after</th><th scope="col">Reason</th></tr></thead>
      <tbody>${history.map((a) => html`<tr><td>${dateTime(a.createdAt, v.locale)}</td><td class="num">${a.delta > 0 ? `+${a.delta}` : a.delta}</td><td class="num">${a.onHandAfter}</td><td>${a.reason}</td></tr>`)}</tbody></table>`
        : html`<p class="empty-note">No stock movements yet.</p>`
    }
    </details>`
      : ''
  }
  ${v.canWrite ? actionForm(`/products/${v.product.id}/variants/${variant.id}/delete`, v.csrf, html`<button class="link-button" type="submit">Delete ${variant.sku}</button>`, { confirm: `Delete variant ${variant.sku}? Its stock history stays in the audit log.` }) : ''}
  </div>
</td></tr>`;
}

export function productPage(v: ProductView): Page {
  const p = v.product;
  const details = problemFor(v, 'details');
  const newVariant = problemFor(v, 'new-variant');
  const images = problemFor(v, 'images');
  const values = details?.values ?? { name: p.name, slug: p.slug, description: p.description, categoryId: p.categoryId ?? '' };
  const published = p.status === 'published';
  const currency = p.variants[0]?.currency ?? 'EUR';
  const anyProblem = Boolean(v.problem);
  return {
    status: anyProblem ? 400 : 200,
    title: p.name,
    body: html`<p class="breadcrumb"><a href="/products">Products</a></p>
<div class="page-head">
  <div><h1>${p.name}</h1><p class="muted"><span class="badge badge-${p.status}">${published ? 'Published' : 'Draft'}</span> · <code>${p.slug}</code></p></div>
  <div class="actions">
    ${published && v.storefrontUrl ? html`<a class="button" href="${v.storefrontUrl}/p/${p.slug}">View in shop ↗</a>` : ''}
    ${
      v.canWrite
        ? html`${actionForm(`/products/${p.id}/status`, v.csrf, html`<input type="hidden" name="status" value="${published ? 'draft' : 'published'}"><button class="button ${published ? '' : 'button-primary'}" type="submit">${published ? 'Unpublish' : 'Publish'}</button>`, published ? { confirm: `Unpublish ${p.name}? Shoppers will no longer find it.` } : {})}
    ${actionForm(`/products/${p.id}/delete`, v.csrf, html`<button class="button button-danger" type="submit">Delete</button>`, { confirm: `Delete ${p.name} and its ${p.variants.length} variants? This cannot be undone.` })}`
        : ''
    }
  </div>
</div>
${v.problem?.message && !['details', 'new-variant', 'images'].includes(v.problem.form) && !v.problem.form.startsWith('variant-') && !v.problem.form.startsWith('stock-') ? formAlert(v.problem.message) : ''}
<div class="grid-2">
<section class="card" aria-labelledby="details-title">
  <div class="card-head"><h2 id="details-title">Details</h2></div>
  ${
    v.canWrite
      ? actionForm(`/products/${p.id}`, v.csrf, html`<div class="stack">${formAlert(details?.message)}${detailsFields('edit', values, details?.fields ?? {}, v.categories)}
    <div><button class="button button-primary" type="submit">Save details</button></div></div>`, { label: 'Product details' })
      : html`<dl><dt>Description</dt><dd>${p.description || '—'}</dd><dt>Category</dt><dd>${p.categoryPath.map((c) => c.name).join(' › ') || '—'}</dd></dl>`
  }
</section>
<section class="card" id="images" aria-labelledby="images-title">
  <div class="card-head"><h2 id="images-title">Images</h2></div>
  ${formAlert(images?.message)}
  ${
    p.images.length
      ? html`<ul class="images">${p.images.map(
          (url, i) => html`<li><img src="${url.startsWith('/api/') ? url : ''}" alt="${p.name}, image ${i + 1}" width="120" height="120">
        ${v.canWrite ? actionForm(`/products/${p.id}/images/remove`, v.csrf, html`<input type="hidden" name="url" value="${url}"><button class="link-button" type="submit">Remove image ${i + 1}</button>`, { confirm: 'Remove this image from the product?' }) : ''}</li>`,
        )}</ul>`
      : html`<p class="empty-note">No images yet.</p>`
  }
  ${
    v.canWrite
      ? html`<form data-image-upload="/api/admin/products/${p.id}/images" aria-label="Upload an image">
    <div class="field"><label for="image-file">Add an image</label>
    <input id="image-file" type="file" accept="image/png,image/jpeg,image/webp,image/gif" aria-describedby="image-hint image-error">
    <p class="hint" id="image-hint">PNG, JPEG, WebP or GIF, up to 5 MB.</p>
    <p class="error" id="image-error" data-upload-error role="alert" hidden></p></div>
    <button class="button" type="submit">Upload</button>
  </form>`
      : ''
  }
</section>
</div>
<section class="card" aria-labelledby="variants-title">
  <div class="card-head"><h2 id="variants-title">Variants</h2><p class="muted">${p.variants.length} variant${p.variants.length === 1 ? '' : 's'}</p></div>
  ${
    p.variants.length
      ? html`<div class="table-wrap"><table class="table variants">
    <thead><tr><th scope="col">SKU</th><th scope="col">Options</th>${v.canWrite ? html`<th scope="col" class="num">Price</th>` : ''}<th scope="col" class="num">Weight</th>
    <th scope="col" class="num">On hand</th><th scope="col" class="num">Reserved</th><th scope="col" class="num">Available</th></tr></thead>
    <tbody>${p.variants.map((variant) => variantRow(v, variant))}</tbody></table></div>`
      : html`<p class="empty-note">No variants yet: a product needs at least one to be sold.</p>`
  }
  ${
    v.canWrite
      ? html`<h3>Add a variant</h3>
  ${actionForm(`/products/${p.id}/variants`, v.csrf, html`${formAlert(newVariant?.message)}<div class="row">
    ${field('sku', 'SKU', newVariant?.fields ?? {}, { id: 'new-sku', value: newVariant?.values.sku, maxlength: 64 })}
    ${field('options', 'Options', newVariant?.fields ?? {}, { id: 'new-options', value: newVariant?.values.options, required: false, maxlength: 400, hint: 'e.g. size=M, colour=Blue' })}
    ${field('price', `Price (${currency})`, newVariant?.fields ?? {}, { id: 'new-price', value: newVariant?.values.price, inputmode: 'decimal', maxlength: 14 })}
    ${field('weightGrams', 'Weight (g)', newVariant?.fields ?? {}, { id: 'new-weight', value: newVariant?.values.weightGrams, inputmode: 'numeric', maxlength: 8 })}
    ${field('onHand', 'Opening stock', newVariant?.fields ?? {}, { id: 'new-stock', value: newVariant?.values.onHand ?? '0', inputmode: 'numeric', maxlength: 8 })}
    <input type="hidden" name="currency" value="${currency}">
    <button class="button button-primary" type="submit">Add variant</button></div>`, { label: 'Add a variant' })}`
      : ''
  }
</section>`,
  };
}
