import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '@shop/web/testing';
import { createStorefrontApp } from '../../src/server/app.ts';
import { loadStorefrontConfig } from '../../src/server/config.ts';
import { browserMissing, launchChromium, screenshot } from '../support/browser.ts';
import { addToCart, checkOut, inStockSlugs, waitText } from '../support/shopper.ts';
import { startStack, until, type Stack } from '../support/stack.ts';

const missing = browserMissing();
const CARDS = { ok: '4242 4242 4242 4242', declined: '4000 0000 0000 0002', threeDs: '4000 0000 0000 3220' };

/** Counts the page's navigations, to prove a change arrived without a reload. */
function navigations(page: Page): () => number {
  let n = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) n++;
  });
  return () => n;
}

describe.skipIf(missing !== null)(`the storefront in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let stack: Stack;
  let browser: Browser;
  let tees: string[];
  let mugs: string[];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    [tees, mugs] = await Promise.all([inStockSlugs(stack.commerceUrl, 't-shirts', 6), inStockSlugs(stack.commerceUrl, 'mugs', 6)]);
  }, 660_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const desktop = () => browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' });
  const ordersFor = async (email: string) => {
    const res = await fetch(`${stack.commerceUrl}/api/admin/orders?email=${encodeURIComponent(email)}`, { headers: { authorization: `Bearer ${await stack.adminToken()}` } });
    return ((await res.json()) as { orders: { id: string; status: string }[] }).orders;
  };

  it('browses, searches as you type, adds two products, checks out as a guest and watches the order reach fulfilled by itself', async () => {
    const context = await desktop();
    const page = await context.newPage();
    await page.goto(stack.storefrontUrl);
    await expect.poll(() => page.title()).toContain('Northwind Supply');
    await screenshot(page, 'home');
    await expectAccessible(page, 'home');

    await page.getByRole('link', { name: 'Clothing' }).first().click();
    await page.waitForURL(/\/c\/clothing/);
    expect(await page.locator('.grid .card').count()).toBeGreaterThan(0);
    await page.getByLabel('Sort by').selectOption('price_asc');
    await page.waitForURL(/sort=price_asc/);
    await screenshot(page, 'category');
    await expectAccessible(page, 'category');
    // Ticking an option submits the filter form: the choice lands in a shareable URL, the sort kept.
    const sizeM = page.locator('input[name=option][value="size:M"]');
    const offered = Number((await page.locator(`label[for="${await sizeM.getAttribute('id')}"] .count`).textContent())!.replace(/\D/g, ''));
    await sizeM.check();
    await page.waitForURL(/option=size%3AM/);
    expect(page.url()).toContain('sort=price_asc');
    expect(await page.locator('input[name=option][value="size:M"]').isChecked()).toBe(true);
    const cards = await page.locator('.grid .card').count();
    expect(cards).toBeGreaterThan(0);
    expect(cards).toBeLessThanOrEqual(offered);
    await page.locator('input[name=option][value="size:M"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'category-filtered');
    await expectAccessible(page, 'category filtered by size');

    await page.getByRole('combobox', { name: 'Search products' }).pressSequentially('mug', { delay: 30 });
    const suggestion = page.locator('#search-results [role=option]').first();
    await suggestion.waitFor({ state: 'visible' });
    expect(await suggestion.textContent()).toMatch(/Mug/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\?q=mug/);
    await screenshot(page, 'search');
    await expectAccessible(page, 'search');

    const first = await addToCart(page, stack.storefrontUrl, tees[0]!);
    await screenshot(page, 'product');
    await expectAccessible(page, 'product');
    const second = await addToCart(page, stack.storefrontUrl, mugs[0]!);
    await page.locator('[data-cart-open]').click();
    await page.locator('#cart-drawer').waitFor({ state: 'visible' });
    await screenshot(page, 'cart-drawer');
    await page.keyboard.press('Escape');

    await page.goto(`${stack.storefrontUrl}/cart`);
    const lines = await page.locator('.line .line-name').allTextContents();
    expect(lines).toEqual(expect.arrayContaining([first, second]));
    expect(await page.locator('.ship-options li').count()).toBeGreaterThan(0);
    await screenshot(page, 'cart');
    await expectAccessible(page, 'cart');

    // The checkout key survives a reload; the hint lists the sandbox's test cards.
    await page.goto(`${stack.storefrontUrl}/checkout`);
    const key = await page.locator('input[name=idempotencyKey]').inputValue();
    await page.reload();
    expect(await page.locator('input[name=idempotencyKey]').inputValue()).toBe(key);
    expect(await page.locator('.test-cards').textContent()).toContain('4242 4242 4242 4242');
    await screenshot(page, 'checkout');
    await expectAccessible(page, 'checkout');

    // A missing field is answered next to the field.
    await page.getByLabel('Email').fill('guest-happy@storefront.test');
    await page.getByLabel('Card number').fill(CARDS.ok);
    await page.getByRole('button', { name: 'Place order' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#f-name-error').textContent()).toMatch(/Full name/);
    expect(await page.getByLabel('Full name').getAttribute('aria-invalid')).toBe('true');

    // A double click places one order.
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel('Address', { exact: true }).fill('12 Rue des Fleurs');
    await page.getByLabel('Postal code').fill('75001');
    await page.getByLabel('City').fill('Paris');
    await page.getByLabel('Card number').fill(CARDS.ok);
    await page.getByRole('button', { name: 'Place order' }).dblclick();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}\?token=/);
    const count = navigations(page);
    await waitText(page.locator('[data-status-text]'), 'Packed, label printed');
    expect(count(), 'the order page updated without navigating').toBe(0);
    expect(await page.locator('.tracker li.done').count()).toBe(3);
    await screenshot(page, 'order');
    await expectAccessible(page, 'order');
    const orders = await ordersFor('guest-happy@storefront.test');
    expect(orders).toHaveLength(1);
    expect(orders[0]!.status).toBe('fulfilled');

    // The guest reaches the order again through its link, from another browser.
    const link = page.url();
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(link);
    expect(await otherPage.locator('h1').textContent()).toContain('Packed');
    await otherPage.goto(link.replace(/\?token=.*/, ''));
    expect(await otherPage.locator('h1').textContent()).toContain('could not find');
    await other.close();
    await context.close();
  }, 400_000);

  it('says when a card is declined and offers another card with the cart restored', async () => {
    const context = await desktop();
    const page = await context.newPage();
    const name = await addToCart(page, stack.storefrontUrl, tees[1]!);
    await checkOut(page, stack.storefrontUrl, { email: 'declined@storefront.test', card: CARDS.declined });
    await page.locator('[data-payment-failed]').waitFor({ state: 'visible', timeout: 30_000 });
    expect(await page.locator('[data-failure-text]').textContent()).toContain('declined');
    await screenshot(page, 'order-declined');
    await page.getByRole('button', { name: 'Try another card' }).click();
    await page.waitForURL(/\/checkout$/);
    expect(await page.locator('.review-lines').textContent()).toContain(name);
    await context.close();
  }, 120_000);

  for (const [answer, button] of [['approves', 'Approve payment'], ['refuses', 'Refuse']] as const) {
    it(`3-D Secure: the shopper ${answer} on the sandbox page and the sandbox's webhook moves the order`, async () => {
      const context = await desktop();
      const page = await context.newPage();
      await addToCart(page, stack.storefrontUrl, answer === 'approves' ? tees[2]! : tees[3]!);
      await checkOut(page, stack.storefrontUrl, { email: `3ds-${answer}@storefront.test`, card: CARDS.threeDs });
      const confirm = page.getByRole('link', { name: 'Confirm the payment' });
      await confirm.waitFor({ state: 'visible', timeout: 30_000 });
      await confirm.click();
      await page.waitForURL(/\/checkout\/authenticate\//);
      if (answer === 'approves') {
        await screenshot(page, 'three-d-secure');
        await expectAccessible(page, '3-D Secure');
      }
      await page.getByRole('button', { name: button }).click();
      await page.waitForURL(/\/orders\//);
      if (answer === 'approves') await waitText(page.locator('[data-status-text]'), 'Packed, label printed');
      else {
        await page.locator('[data-payment-failed]').waitFor({ state: 'visible', timeout: 30_000 });
        expect(await page.locator('[data-failure-text]').textContent()).toContain('declined');
      }
      await context.close();
    }, 120_000);
  }

  it('registers, finds the guest cart merged, checks out signed in and sees the order in the history', async () => {
    const context = await desktop();
    const page = await context.newPage();
    const name = await addToCart(page, stack.storefrontUrl, mugs[1]!);
    await page.goto(`${stack.storefrontUrl}/account/sign-in`);
    await screenshot(page, 'sign-in');
    await expectAccessible(page, 'sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Email').fill('merge@storefront.test');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    expect(await page.locator('#f-password-error').textContent()).toMatch(/Password/);
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(/\/account$/);

    await page.goto(`${stack.storefrontUrl}/cart`);
    expect(await page.locator('.line .line-name').allTextContents()).toContain(name);
    await checkOut(page, stack.storefrontUrl, { card: CARDS.ok });
    await waitText(page.locator('[data-status-text]'), /Paid|Packed/);
    const orderNumber = (await page.locator('.eyebrow').textContent())!.replace('Order ', '').trim();

    await page.goto(`${stack.storefrontUrl}/account`);
    await page.getByRole('link', { name: orderNumber }).waitFor();
    await screenshot(page, 'account');
    await expectAccessible(page, 'account');
    await page.getByRole('link', { name: orderNumber }).click();
    await page.waitForURL(/\/orders\//);
    expect(await page.locator('.eyebrow').textContent()).toContain(orderNumber);

    // Signing out ends the session: the account page asks to sign in again.
    await page.goto(`${stack.storefrontUrl}/account`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${stack.storefrontUrl}/account`);
    await page.waitForURL(/\/account\/sign-in/);
    await context.close();
  }, 120_000);

  it('works on a phone (390 x 844, touch): the same happy path, with touch targets of at least 44 px', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(stack.storefrontUrl);
    await screenshot(page, 'phone-home');
    await addToCart(page, stack.storefrontUrl, tees[4]!, true);
    await screenshot(page, 'phone-product');
    // Prices in the visitor's locale (French: comma decimals, euro sign after).
    expect(await page.locator('p[data-price]').textContent()).toMatch(/^\d+,\d{2}\s€$/);
    const small = await page.$$eval('main button, main .button, main input:not([type=hidden]), main select, header a, header button, .swatch span', (els) =>
      els
        .filter((e) => e.getClientRects().length > 0)
        .map((e) => ({ what: e.outerHTML.slice(0, 80), h: e.getBoundingClientRect().height }))
        .filter((x) => x.h < 44),
    );
    expect(small).toEqual([]);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await checkOut(page, stack.storefrontUrl, { email: 'phone@storefront.test', card: CARDS.ok }, true);
    await screenshot(page, 'phone-order');
    await waitText(page.locator('[data-status-text]'), 'Packed, label printed');
    await context.close();
  }, 120_000);

  it('has no serious accessibility violation on the 404 page and answers 404', async () => {
    const context = await desktop();
    const page = await context.newPage();
    const res = await page.goto(`${stack.storefrontUrl}/p/no-such-product`);
    expect(res?.status()).toBe(404);
    await screenshot(page, 'not-found');
    await expectAccessible(page, '404');
    await context.close();
  });

  it('installs as an app: valid manifest, active service worker, cached catalog pages and the offline page with the network cut', async () => {
    // A storefront of its own, so that closing it cuts this test's network and nobody else's.
    const own = await createStorefrontApp(loadStorefrontConfig({ COMMERCE_URL: stack.commerceUrl, LOG_LEVEL: 'silent' }), { logger: false });
    await own.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(own.server.address() as { port: number }).port}`;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, serviceWorkers: 'allow' });
    try {
      const page = await context.newPage();
      await page.goto(base);
      const manifest = (await page.evaluate(`fetch(document.querySelector('link[rel=manifest]').href).then((r) => r.json())`)) as {
        name: string; display: string; start_url: string; id: string; icons: { src: string; sizes: string; type: string; purpose?: string }[];
      };
      expect(manifest).toMatchObject({ name: 'Northwind Supply', display: 'standalone', id: '/', start_url: '/?source=pwa' });
      for (const size of [192, 512]) {
        const icon = manifest.icons.find((i) => i.sizes === `${size}x${size}` && i.type === 'image/png');
        const png = Buffer.from(await (await fetch(`${base}${icon!.src}`)).arrayBuffer());
        expect(png.subarray(1, 4).toString()).toBe('PNG');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
      }
      expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
      await until('the service worker to be active', async () => (await page.evaluate(`navigator.serviceWorker.ready.then((r) => r.active.state)`)) === 'activated');
      await page.reload();
      await until('the worker to control the page', async () => (await page.evaluate('navigator.serviceWorker.controller !== null')) === true);
      const name = await addToCart(page, base, tees[5]!);

      // The network is cut: the server is gone and the browser is offline.
      await own.close();
      await context.setOffline(true);
      await page.goto(`${base}/p/${tees[5]}`);
      expect(await page.locator('h1').textContent()).toBe(name);
      await page.locator('[data-net-status]').waitFor({ state: 'visible' });
      expect(await page.locator('[data-net-status]').textContent()).toContain('need the network');
      await page.locator('[data-cart-count]').waitFor({ state: 'hidden' });
      for (const path of ['/c/boots', '/cart', '/checkout', '/account']) {
        await page.goto(`${base}${path}`);
        expect(await page.locator('h1').textContent(), path).toBe('You are offline');
      }
      expect(await page.locator('main').textContent()).toContain('checkout');
      await screenshot(page, 'phone-offline');
      await expectAccessible(page, 'offline');
    } finally {
      await context.close();
      await own.close();
    }
  }, 120_000);
});
