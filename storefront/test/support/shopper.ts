import { expect } from 'vitest';
import type { Locator, Page as BrowserPage } from 'playwright-core';
import { until } from './stack.ts';

export type { BrowserPage };

/** Slugs of published products with stock, from the API the storefront itself uses. */
export async function inStockSlugs(commerceUrl: string, category: string, count: number): Promise<string[]> {
  const res = await fetch(`${commerceUrl}/api/products?category=${category}&inStock=true&limit=${count}`);
  const { items } = (await res.json()) as { items: { slug: string }[] };
  if (items.length < count) throw new Error(`only ${items.length} products in stock in ${category}`);
  return items.map((i) => i.slug);
}

/** Opens a product page, picks its first variant in stock and adds it: the cart drawer opens with it. */
export async function addToCart(page: BrowserPage, baseUrl: string, slug: string, tap = false): Promise<string> {
  await page.goto(`${baseUrl}/p/${slug}`);
  const name = (await page.locator('h1').textContent())!.trim();
  const variant = page.locator('.swatch input:not([disabled])').first();
  await (tap ? variant.tap({ force: true }) : variant.check({ force: true }));
  const before = await page.locator('#cart-drawer [data-drawer-body] li').count();
  const add = page.getByRole('button', { name: 'Add to cart' });
  await (tap ? add.tap() : add.click());
  await page.locator('#cart-drawer').waitFor({ state: 'visible' });
  await until('the drawer to list the product', async () => (await page.locator('#cart-drawer').textContent())!.includes(name));
  expect(await page.locator('#cart-drawer [data-drawer-body] li').count()).toBeGreaterThanOrEqual(before);
  await page.locator('[data-drawer-close]').click();
  return name;
}

export interface Delivery {
  email?: string;
  card: string;
}

/** Fills the checkout form as a shopper would and places the order; resolves on the order page. */
export async function checkOut(page: BrowserPage, baseUrl: string, delivery: Delivery, tap = false): Promise<string> {
  await page.goto(`${baseUrl}/checkout`);
  if (delivery.email) await page.getByLabel('Email').fill(delivery.email);
  await page.getByLabel('Full name').fill('Ada Lovelace');
  await page.getByLabel('Address', { exact: true }).fill('12 Rue des Fleurs');
  await page.getByLabel('Postal code').fill('75001');
  await page.getByLabel('City').fill('Paris');
  await page.getByLabel('Country').selectOption('FR');
  await page.getByLabel('Card number').fill(delivery.card);
  const place = page.getByRole('button', { name: 'Place order' });
  await (tap ? place.tap() : place.click());
  await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
  return page.url();
}

/** Waits for text in an element that the page's own script updates (no reload). */
export async function waitText(locator: Locator, expected: string | RegExp, timeoutMs = 30_000): Promise<void> {
  const matches = (t: string) => (typeof expected === 'string' ? t.includes(expected) : expected.test(t));
  let seen = '';
  await until(`${String(expected)} (saw ${JSON.stringify(seen)})`, async () => {
    seen = ((await locator.textContent()) ?? '').trim();
    return matches(seen);
  }, timeoutMs);
}


