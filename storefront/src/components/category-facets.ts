import { html, type Html } from '@shop/web';
import type { ProductPage } from '../data/products.ts';

type CategoryFacet = NonNullable<ProductPage['facets']>['categories'][number];

/**
 * The categories a search's results lie in, as radio buttons named `category` in the filter form,
 * each with how many results picking it leaves (counts include subcategories, as the filter does).
 * "All" clears the choice; a category picked in the URL but no longer offered stays listed, picked.
 */
export function categoryFacets(facets: readonly CategoryFacet[] | undefined, selected: string | undefined): Html {
  if (!facets?.length && !selected) return html``;
  const offered = [...(facets ?? [])];
  if (selected && !offered.some((f) => f.slug === selected)) offered.push({ slug: selected, name: selected, path: selected, count: 0 });
  return html`<fieldset class="category-facet">
    <legend>Category</legend>
    <div class="check"><input type="radio" id="cat-all" name="category" value="" ${selected ? '' : 'checked'} data-autosubmit><label for="cat-all">All</label></div>
    ${offered.map((facet, i) => {
      const depth = Math.min(facet.path.split('/').length - 1, 3);
      return html`<div class="check depth-${depth}"><input type="radio" id="cat-${i}" name="category" value="${facet.slug}" ${facet.slug === selected ? 'checked' : ''} data-autosubmit><label for="cat-${i}">${facet.name} <span class="count">(${facet.count})</span></label></div>`;
    })}
  </fieldset>`;
}
