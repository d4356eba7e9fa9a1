import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '@shop/web/testing';
import { browserMissing, launchChromium, screenshot } from '../support/browser.ts';
import { addToCart, checkOut, inStockSlugs } from '../support/shopper.ts';
import { startStack, until, type Stack } from '../support/stack.ts';

const missing = browserMissing();

/** Regions, currencies, discount codes and taxes as a shopper meets them, in Chromium over the real stack. */
describe.skipIf(missing !== null)(`prices, codes and regions in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let stack: Stack;
  let browser: Browser;
  let mugs: string[];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    mugs = await inStockSlugs(stack.commerceUrl, 'mugs', 2);
  }, 660_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('applies WELCOME10 on the cart, shows VAT included, switches to yen without decimals and back, and the order keeps the discount', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    await addToCart(page, stack.storefrontUrl, mugs[0]!);
    await page.goto(`${stack.storefrontUrl}/cart?country=FR`);
    await page.getByLabel('Discount code').fill('welcome10');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/\/cart/);
    const summary = page.locator('[data-totals]');
    await expect.poll(() => page.locator('#promo-status').textContent()).toContain('WELCOME10 applied');
    expect(await summary.textContent()).toMatch(/Welcome: 10% off\s*\(WELCOME10\)\s*−€\d+\.\d\d/);
    expect(await summary.textContent()).toMatch(/Tax included\s*€\d+\.\d\d/);
    await screenshot(page, 'cart-discount-code');
    await expectAccessible(page, 'cart with a discount code');

    await page.getByLabel('Region and currency').selectOption('jp');
    await page.waitForURL(/country=JP/);
    const yen = (await page.locator('.line-total').first().textContent())!.trim();
    expect(yen).toMatch(/^(JP)?¥[\d,]+$/); // no decimals in yen (en-GB writes JP¥)
    expect(await summary.textContent()).toMatch(/Total\s*(JP)?¥[\d,]+\s*$/);
    await screenshot(page, 'cart-japan-yen');
    await expectAccessible(page, 'cart in yen');

    await page.getByLabel('Region and currency').selectOption('eu');
    // The Japanese page's URL also holds country=: wait for the one the switch back navigates to.
    await page.waitForURL((url) => url.searchParams.has('country') && url.searchParams.get('country') !== 'JP');
    expect((await page.locator('.line-total').first().textContent())!.trim()).toMatch(/^€\d+\.\d\d$/);
    const orderUrl = await checkOut(page, stack.storefrontUrl, { email: 'pricing-e2e@example.com', card: '4242 4242 4242 4242' });
    expect(orderUrl).toMatch(/\/orders\//);
    const totals = (await page.locator('[data-totals]').textContent())!;
    expect(totals).toMatch(/WELCOME10\)\s*−€/);
    expect(totals).toMatch(/Tax included/);
    await screenshot(page, 'order-with-discount');
    await expectAccessible(page, 'order with a discount');
    await context.close();
  }, 180_000);

  it('refuses an unknown code on the cart with the reason, as an error the field points to', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const page = await context.newPage();
    await addToCart(page, stack.storefrontUrl, mugs[1]!);
    await page.goto(`${stack.storefrontUrl}/cart?country=DE`);
    await page.getByLabel('Discount code').fill('NOT-A-CODE');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('#promo-status').textContent()).toContain('NOT-A-CODE is not a valid code');
    expect(await page.getByLabel('Discount code').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'cart-code-refused-phone');
    await expectAccessible(page, 'cart with a refused code');
    await context.close();
  }, 120_000);
  it('shows listing, search and product prices in yen once Japan is chosen in the header, and the cart charges the same', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    const yen = /^(JP)?¥[\d,]+$/; // no decimals in yen (en-GB writes JP¥)
    await page.goto(`${stack.storefrontUrl}/p/${mugs[0]}`);
    expect((await page.locator('[data-price]').textContent())!.trim()).toMatch(/^€\d+\.\d\d$/);
    await page.getByLabel('Prices in').selectOption('jp');
    await until('the product page to show yen', async () => yen.test((await page.locator('[data-price]').textContent())!.trim()));
    expect(new URL(page.url()).pathname).toBe(`/p/${mugs[0]}`);
    const productPrice = (await page.locator('[data-price]').textContent())!.trim();
    await screenshot(page, 'product-in-yen');
    await expectAccessible(page, 'product page in yen');

    await page.goto(`${stack.storefrontUrl}/c/mugs`);
    const cards = (await page.locator('.card .price').allTextContents()).map((t) => t.trim()).filter(Boolean);
    expect(cards.length).toBeGreaterThan(0);
    for (const price of cards) expect(price).toMatch(yen);
    expect(await page.getByLabel('Prices in').inputValue()).toBe('jp');
    await screenshot(page, 'listing-in-yen');
    await expectAccessible(page, 'listing in yen');
    await page.goto(`${stack.storefrontUrl}/search?q=mug`);
    for (const price of await page.locator('.card .price').allTextContents()) if (price.trim()) expect(price.trim()).toMatch(yen);

    await addToCart(page, stack.storefrontUrl, mugs[0]!);
    await page.goto(`${stack.storefrontUrl}/cart`);
    expect((await page.locator('.line-total').first().textContent())!.trim()).toBe(productPrice);
    expect(await page.locator('.totals dd').first().textContent()).toBe(productPrice);
    await context.close();
  }, 180_000);

  it('places a visitor who chose no region by the country of Accept-Language, and the country header wins', async () => {
    const american = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    const page = await american.newPage();
    await page.goto(`${stack.storefrontUrl}/p/${mugs[1]}`);
    expect((await page.locator('[data-price]').textContent())!.trim()).toMatch(/^\$\d+\.\d\d$/);
    expect(await page.getByLabel('Prices in', { exact: true }).inputValue()).toBe('us');
    await screenshot(page, 'product-in-dollars-phone');
    await expectAccessible(page, 'product page in dollars');
    await american.close();
    const hinted = await browser.newContext({ locale: 'en-US', extraHTTPHeaders: { 'x-country': 'JP' } });
    const other = await hinted.newPage();
    await other.goto(`${stack.storefrontUrl}/p/${mugs[1]}`);
    expect((await other.locator('[data-price]').textContent())!.trim()).toMatch(/^¥[\d,]+$/);
    await hinted.close();
  }, 120_000);
});
