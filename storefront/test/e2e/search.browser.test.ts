import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '@shop/web/testing';
import { browserMissing, launchChromium, screenshot } from '../support/browser.ts';
import { startStack, type Stack } from '../support/stack.ts';

const missing = browserMissing();

/** What the API lists for a query, followed to the last page: the independent count the page's facets must match. */
async function countListed(commerceUrl: string, query: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const res = await fetch(`${commerceUrl}/api/products?limit=100&${query}${cursor ? `&cursor=${cursor}` : ''}`);
    const page = (await res.json()) as { items: unknown[]; nextCursor: string | null };
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

describe.skipIf(missing !== null)(`storefront search in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('answers a misspelt search with the corrected results, says so, and narrows them by category facets', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(stack.storefrontUrl);
    const box = page.getByRole('combobox', { name: 'Search products' });
    await box.fill('hoddie');
    await box.press('Enter');
    await page.waitForURL(/\/search\?q=hoddie/);

    expect(await page.locator('h1').textContent()).toBe('Results for “hoodie”');
    expect(await page.locator('.did-you-mean').textContent()).toContain('No results for “hoddie”. Showing results for “hoodie” instead.');
    const names = await page.locator('.grid .card .card-name').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n) => /hoodie/i.test(n))).toBe(true);
    await screenshot(page, 'search-did-you-mean');
    await expectAccessible(page, 'search with a corrected spelling');

    // The category facets count what picking them lists, as the API counts it independently.
    const hoodies = page.locator('.category-facet input[value="hoodies"]');
    const label = await page.locator(`label[for="${await hoodies.getAttribute('id')}"]`).textContent();
    const shown = Number(/\((\d+)\)/.exec(label!)![1]);
    expect(shown).toBe(await countListed(stack.commerceUrl, 'q=hoodie&category=hoodies'));

    await page.getByRole('link', { name: '“hoodie”' }).click();
    await page.waitForURL(/\/search\?q=hoodie$/);
    expect(await page.locator('.did-you-mean').count()).toBe(0);

    await page.goto(`${stack.storefrontUrl}/search?q=navy`);
    const clothing = page.locator('.category-facet input[value="clothing"]');
    const clothingCount = Number(/\((\d+)\)/.exec((await page.locator(`label[for="${await clothing.getAttribute('id')}"]`).textContent())!)![1]);
    await clothing.check();
    await page.waitForURL(/category=clothing/);
    expect(page.url()).toContain('q=navy');
    expect(await page.locator('.category-facet input[value="clothing"]').isChecked()).toBe(true);
    const cards = await page.locator('.grid .card').count();
    expect(cards).toBe(Math.min(clothingCount, 24));
    expect(clothingCount).toBe(await countListed(stack.commerceUrl, 'q=navy&category=clothing'));
    await screenshot(page, 'search-category-facet');
    await expectAccessible(page, 'search narrowed to a category');
    await context.close();
  }, 120_000);
});
