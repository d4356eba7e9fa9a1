import { html, type Html } from '@shop/web';
import type { ProductPage } from '../data/products.ts';

type Facet = NonNullable<ProductPage['facets']>['options'][number];

/** A filter term as the listing's URL and the API carry it: `size:M`. */
export const OPTION_TERM = /^[a-z][a-z0-9_]{0,31}:[^\u0000]{1,64}$/;
export const MAX_OPTION_TERMS = 20;

const SIZE_LADDER = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', 'XXXL'];

/** Clothing sizes in ladder order, measures (42, 0.5 l) by number, anything else alphabetically. */
export function compareOptionValues(a: string, b: string): number {
  const [la, lb] = [SIZE_LADDER.indexOf(a), SIZE_LADDER.indexOf(b)];
  if (la >= 0 && lb >= 0) return la - lb;
  const [na, nb] = [Number.parseFloat(a), Number.parseFloat(b)];
  if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na - nb;
  return a.localeCompare(b);
}

const label = (name: string) => (name.charAt(0).toUpperCase() + name.slice(1)).replaceAll('_', ' ');

/**
 * One fieldset of checkboxes per option, all named `option` so the plain GET form writes
 * `option=size:M&option=colour:Navy` into a shareable URL. A value picked in the URL but no
 * longer offered stays listed, checked, so it can be unticked.
 */
export function optionFacets(facets: Facet[] | undefined, selected: readonly string[]): Html {
  const byName = new Map<string, Map<string, number>>();
  for (const facet of facets ?? []) byName.set(facet.name, new Map(facet.values.map((v) => [v.value, v.count])));
  for (const term of selected) {
    const colon = term.indexOf(':');
    const values = byName.get(term.slice(0, colon)) ?? new Map<string, number>();
    if (!values.has(term.slice(colon + 1))) values.set(term.slice(colon + 1), 0);
    byName.set(term.slice(0, colon), values);
  }
  const names = [...byName.keys()].sort();
  return html`${names.map((name, n) => {
    const values = [...byName.get(name)!.entries()].sort(([a], [b]) => compareOptionValues(a, b));
    return html`<fieldset class="option-facet">
    <legend>${label(name)}</legend>
    ${values.map(([value, count], i) => {
      const term = `${name}:${value}`;
      const id = `opt-${n}-${i}`;
      return html`<div class="check"><input type="checkbox" id="${id}" name="option" value="${term}" ${selected.includes(term) ? 'checked' : ''} data-autosubmit><label for="${id}">${value} <span class="count">(${count})</span></label></div>`;
    })}
  </fieldset>`;
  })}`;
}
