import { field, formAlert, html, type FieldErrors, type Html } from '@shop/web';
import { actionForm, selectField } from '../components/fields.ts';
import type { CategoryRow } from '../data/categories.ts';
import type { Page } from '../server/view.ts';
import type { FormProblem } from './product.ts';

export const CATEGORY_LABELS = { name: 'Name', slug: 'Slug', parentId: 'Parent' };

/** Name, slug and parent; the parent choices leave out `self` and everything below it (the API refuses a cycle). */
function categoryFields(prefix: string, values: Record<string, string>, errors: FieldErrors, rows: CategoryRow[], self?: string): Html {
  const parents = rows.filter((r) => !self || (r.id !== self && !r.ancestors.includes(self)));
  return html`${field('name', 'Name', errors, { id: `${prefix}-name`, value: values.name, maxlength: 200 })}
  ${field('slug', 'Slug', errors, { id: `${prefix}-slug`, value: values.slug, maxlength: 120, hint: 'Lower-case letters, digits and dashes, e.g. t-shirts.' })}
  ${selectField('parentId', 'Parent', errors, { id: `${prefix}-parent`, value: values.parentId, choices: [['', 'None (a top-level category)'], ...parents.map((r): [string, string] => [r.id, r.label])] })}`;
}

export function categoriesPage(v: { csrf: string; rows: CategoryRow[]; canWrite: boolean; problem?: FormProblem | undefined }): Page {
  const p = v.problem;
  return {
    status: p ? 400 : 200,
    title: 'Categories',
    body: html`<div class="page-head"><div><h1>Categories</h1><p class="muted">The shop's category tree, as shoppers browse it</p></div></div>
<div class="${v.canWrite ? 'grid-2' : ''}">
<section class="card" aria-labelledby="tree-title">
  <h2 id="tree-title">Category tree</h2>
  ${
    v.rows.length
      ? html`<div class="table-wrap"><table class="table">
  <thead><tr><th scope="col">Name</th><th scope="col">Slug</th><th scope="col" class="num">Subcategories</th></tr></thead>
  <tbody>${v.rows.map(
    (r) => html`<tr><td class="name category-depth-${Math.min(r.depth, 4)}">${r.depth ? html`<span aria-hidden="true">└ </span>` : ''}${
      v.canWrite ? html`<a href="/categories/${r.id}" aria-label="${r.label}">${r.name}</a>` : html`<span title="${r.label}">${r.name}</span>`
    }</td><td><code>${r.slug}</code></td><td class="num">${r.childCount}</td></tr>`,
  )}</tbody></table></div>`
      : html`<p class="empty-note">No categories yet.</p>`
  }
</section>
${
  v.canWrite
    ? html`<section class="card" aria-labelledby="new-title"><h2 id="new-title">New category</h2>
  ${actionForm('/categories', v.csrf, html`<div class="stack">${formAlert(p?.message)}
    ${categoryFields('new', p?.values ?? {}, p?.fields ?? {}, v.rows)}
    <div><button class="button button-primary" type="submit">Create category</button></div></div>`, { label: 'New category' })}
</section>`
    : ''
}
</div>`,
  };
}

export function categoryPage(v: { csrf: string; rows: CategoryRow[]; category: CategoryRow; problem?: FormProblem | undefined }): Page {
  const c = v.category;
  const p = v.problem;
  const values = p?.form === 'details' ? p.values : { name: c.name, slug: c.slug, parentId: c.parentId ?? '' };
  return {
    status: p ? (p.fields && Object.keys(p.fields).length ? 400 : 409) : 200,
    title: c.name,
    body: html`<p class="breadcrumb"><a href="/categories">Categories</a></p>
<div class="page-head"><div><h1>${c.name}</h1><p class="muted">${c.label} · <code>${c.slug}</code></p></div>
  <div class="actions">${actionForm(`/categories/${c.id}/delete`, v.csrf, html`<button class="button button-danger" type="submit">Delete</button>`, { confirm: `Delete the category ${c.name}? This cannot be undone.` })}</div>
</div>
${p?.form === 'delete' ? formAlert(p.message) : ''}
<section class="card" aria-labelledby="details-title"><h2 id="details-title">Details</h2>
  ${actionForm(`/categories/${c.id}`, v.csrf, html`<div class="stack">${p?.form === 'details' ? formAlert(p.message) : ''}
    ${categoryFields('edit', values, p?.form === 'details' ? p.fields : {}, v.rows, c.id)}
    <p class="hint">Only an empty category can be deleted: move its products and subcategories first.</p>
    <div><button class="button button-primary" type="submit">Save category</button></div></div>`, { label: 'Category details' })}
</section>`,
  };
}
