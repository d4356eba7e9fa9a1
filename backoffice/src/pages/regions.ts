import { html } from '@shop/web';
import type { RegionsView } from '../data/promotions.ts';
import type { Page } from '../server/view.ts';

const percent = (bp: number) => `${bp / 100}%`;

/** Regions: their countries, currency and whether prices include tax, with the rates per country and tax class. */
export function regionsPage(v: { view: RegionsView }): Page {
  return {
    title: 'Regions and taxes',
    body: html`<div class="page-head"><div><h1>Regions and taxes</h1><p class="muted">Each region sells in one currency; tax rates from the ${v.view.taxProvider} provider, rounded per order line.</p></div></div>
<section class="card" aria-labelledby="regions-title">
  <h2 id="regions-title">Regions</h2>
  <div class="table-wrap"><table class="table">
  <thead><tr><th scope="col">Region</th><th scope="col">Currency</th><th scope="col">Prices</th><th scope="col">Prices from</th><th scope="col">Countries</th></tr></thead>
  <tbody>${v.view.regions.map(
    (r) => html`<tr><td class="name">${r.name} <small class="muted">${r.id}</small></td><td>${r.currency} <small class="muted">${r.currencyDigits} decimals</small></td>
    <td>${r.taxInclusive ? 'Tax included' : 'Tax added at checkout'}</td>
    <td>${r.fxFrom && r.fxRateMicros ? `${r.fxFrom} × ${r.fxRateMicros / 1_000_000}, unless a variant has its own price` : 'The catalog price'}</td>
    <td>${r.countries.join(', ')}</td></tr>`,
  )}</tbody></table></div>
</section>
${v.view.regions.map(
  (r) => html`<section class="card" aria-labelledby="rates-${r.id}">
  <h2 id="rates-${r.id}">Tax rates: ${r.name}</h2>
  <div class="table-wrap"><table class="table">
  <thead><tr><th scope="col">Country</th><th scope="col" class="num">Standard</th><th scope="col" class="num">Reduced</th><th scope="col" class="num">Zero</th></tr></thead>
  <tbody>${r.countries.map((country) => {
    const rate = (taxClass: string) => {
      const found = r.rates.find((x) => x.country === country && x.taxClass === taxClass)?.rates ?? [];
      return found.length ? found.map((x) => percent(x.rateBp)).join(' + ') : '0%';
    };
    return html`<tr><td>${country}</td><td class="num">${rate('standard')}</td><td class="num">${rate('reduced')}</td><td class="num">${rate('zero')}</td></tr>`;
  })}</tbody></table></div>
  ${r.countries.includes('US') ? html`<p class="muted">United States: sales tax by state (the address's state), e.g. CA 7.25%.</p>` : ''}
</section>`,
)}`,
  };
}
