import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '@shop/web/testing';
import { browserMissing, launchChromium, screenshot, signInAs } from '../support/browser.ts';
import { TINY_PNG } from '../support/images.ts';
import { startAnalyticsProcess, type AnalyticsProcess } from '../support/analytics-process.ts';
import { ADMIN, STAFF, startStack, until, type Stack } from '../support/stack.ts';
import { startStorefrontProcess } from '../support/storefront-process.ts';

const missing = browserMissing();

// Each test drives a whole journey through three processes (back office, commerce, analytics) and
// takes 10-25 s on a quiet two-core machine: the hang guard leaves room for a busy one.
describe.skipIf(missing !== null)(`the back office in Chromium${missing ? ` (skipped: ${missing})` : ''}`, { timeout: 90_000 }, () => {
  let stack: Stack;
  let storefront: { url: string; stop(): Promise<void> };
  let browser: Browser;
  let analytics: AnalyticsProcess;
  const slug = `field-notebook-${Date.now().toString(36)}`;
  let productUrl = '';

  beforeAll(async () => {
    analytics = await startAnalyticsProcess();
    [stack, browser] = await Promise.all([startStack({ BACKOFFICE_ANALYTICS_URL: analytics.url, BACKOFFICE_ANALYTICS_READ_KEY: analytics.readKey }), launchChromium()]);
    storefront = await startStorefrontProcess(stack.commerceUrl);
  }, 660_000);
  afterAll(async () => {
    await browser?.close();
    await storefront?.stop();
    await stack?.close();
    await analytics?.stop();
  });

  const desktop = async () => (await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' })).newPage();
  const api = async (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${stack.commerceUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  it('signs an admin in and shows the home figures and low stock', async () => {
    const page = await desktop();
    await page.goto(`${stack.backofficeUrl}/products`);
    await page.waitForURL(/\/sign-in\?next=%2Fproducts/);
    await screenshot(page, 'sign-in');
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('do not match');
    await signInAs(page, stack.backofficeUrl, ADMIN);
    await page.goto(stack.backofficeUrl);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Today');
    expect(await page.locator('.tile').count()).toBe(4);
    await analytics.send(['ann', 'ann', 'bob'].map((user, i) => ({ type: 'page', messageId: `home-${slug}-${i}`, anonymousId: `${user}-${slug}`, context: { sessionId: `${user}-${slug}`, page: { path: '/' } } })));
    await expect.poll(async () => (await page.reload(), page.getByRole('region', { name: 'Shoppers today' }).textContent()), { timeout: 20_000 }).toMatch(/Page views\s*3/);
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(1);
    await screenshot(page, 'home');
    await expectAccessible(page, 'home');
    await page.context().close();
  });

  it('lists products with search, filters and keyset pages', async () => {
    const page = await desktop();
    await signInAs(page, stack.backofficeUrl, ADMIN);
    await page.goto(`${stack.backofficeUrl}/products`);
    const firstPage = await page.locator('tbody td.name a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(firstPage.length).toBe(25);
    await page.getByRole('link', { name: 'Next page →' }).click();
    await page.waitForURL(/cursor=/);
    const secondPage = await page.locator('tbody td.name a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(secondPage.length).toBeGreaterThan(0);
    expect(secondPage.filter((href) => firstPage.includes(href))).toEqual([]);
    await page.getByLabel('Search').fill('backpack');
    await page.getByLabel('Status').selectOption('published');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/q=backpack/);
    const found = await page.locator('tbody td.name a').allTextContents();
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((name) => /backpack/i.test(name))).toBe(true);
    expect(page.url()).not.toContain('cursor=');
    await screenshot(page, 'products');
    await expectAccessible(page, 'products');
    await page.context().close();
  });

  it('creates a product with two variants and an image, publishes it, and shoppers see it', async () => {
    const page = await desktop();
    await signInAs(page, stack.backofficeUrl, ADMIN);
    await page.goto(`${stack.backofficeUrl}/products`);
    await page.getByRole('link', { name: 'New product' }).click();
    await page.getByLabel('Name').fill('Field Notebook');
    await page.getByLabel('Slug').fill('Not A Slug!');
    await page.getByRole('button', { name: 'Create product' }).click();
    // The API's own message, next to the field it is about.
    await expect.poll(() => page.locator('#new-slug-error').textContent()).toContain('lower-case letters');
    expect(await page.getByLabel('Slug').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'new-product-errors');
    await expectAccessible(page, 'new product with errors');
    await page.getByLabel('Slug').fill(slug);
    await page.getByLabel('Description').fill('A pocket notebook with dotted pages.');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.waitForURL(/\/products\/[0-9a-f-]{36}/);
    productUrl = page.url().split('?')[0]!;
    await expect.poll(() => page.getByRole('status').textContent()).toContain('draft');

    const addVariant = async (sku: string, options: string, price: string, stock: string) => {
      const form = page.getByRole('form', { name: 'Add a variant' });
      await form.getByLabel('SKU').fill(sku);
      await form.getByLabel('Options').fill(options);
      await form.getByLabel('Price (EUR)').fill(price);
      await form.getByLabel('Weight (g)').fill('180');
      await form.getByLabel('Opening stock').fill(stock);
      await form.getByRole('button', { name: 'Add variant' }).click();
    };
    await addVariant(`FN-${slug}-A5`, 'size=A5', 'twelve', '10');
    await expect.poll(() => page.locator('#new-price-error').textContent()).toContain('12.50');
    await addVariant(`FN-${slug}-A5`, 'size=A5', '12.50', '10');
    await expect.poll(() => page.getByRole('status').textContent()).toContain('added');
    await addVariant(`FN-${slug}-A5`, 'size=A6', '9.90', '4');
    // The API refuses the duplicate SKU; its message sits next to the SKU field.
    await expect.poll(() => page.locator('#new-sku-error').textContent()).toContain('already used');
    await addVariant(`FN-${slug}-A6`, 'size=A6', '9.90', '4');
    await expect.poll(() => page.locator('table.variants > tbody > tr:not(.variant-tools)').count()).toBe(2);

    await page.locator('#image-file').setInputFiles({ name: 'notebook.png', mimeType: 'image/png', buffer: TINY_PNG });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForURL(/done=Image/);
    expect(await page.locator('.images img').count()).toBe(1);

    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Published');
    await screenshot(page, 'product');
    await expectAccessible(page, 'product');

    // What a shopper sees on the storefront, through the same API.
    await until('the storefront to show the product', async () => (await fetch(`${storefront.url}/p/${slug}`)).ok, 20_000);
    const shop = await desktop();
    await shop.goto(`${storefront.url}/p/${slug}`);
    expect(await shop.locator('h1').textContent()).toContain('Field Notebook');
    const text = (await shop.locator('main').textContent()) ?? '';
    expect(text).toContain('A5');
    expect(text).toContain('A6');
    const image = await shop.locator(`img[src^="/api/media/products/"]`).first().getAttribute('src');
    expect(image).toBeTruthy();
    const served = await fetch(`${storefront.url}${image}`);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(TINY_PNG)).toBe(true);
    await shop.context().close();
    await page.context().close();
  });

  it('adjusts stock with a reason, shows its history, and asks before deleting', async () => {
    const page = await desktop();
    await signInAs(page, stack.backofficeUrl, ADMIN);
    await page.goto(productUrl);
    await page.getByText(`Stock of FN-${slug}-A5: adjust and history`).click();
    const form = page.getByRole('form', { name: `Adjust stock of FN-${slug}-A5` });
    await form.getByLabel('Change (+ or −)').fill('-3');
    await form.getByLabel('Reason').fill('damaged in the stockroom');
    await form.getByRole('button', { name: 'Adjust stock' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('7 on hand');
    await page.getByText(`Stock of FN-${slug}-A5: adjust and history`).click();
    await expect.poll(() => page.getByRole('table', { name: `Stock history of FN-${slug}-A5` }).textContent()).toContain('damaged in the stockroom');

    // With the keyboard only: the dialog opens on Enter with Cancel focused, and Escape leaves everything as it was.
    await page.getByRole('button', { name: `Delete FN-${slug}-A6` }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`Delete variant FN-${slug}-A6?`);
    expect(await page.locator(':focus').textContent()).toBe('Cancel');
    await screenshot(page, 'confirm-delete');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.locator('table.variants > tbody > tr:not(.variant-tools)').count()).toBe(2);
    // On a fresh page the skip link is the first stop and leads to the page's content.
    await page.reload();
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.locator(':focus').getAttribute('id')).toBe('main');
    await page.context().close();
  });

  it('shows each step in the audit log, filtered and paged', async () => {
    const page = await desktop();
    await signInAs(page, stack.backofficeUrl, ADMIN);
    await page.goto(`${stack.backofficeUrl}/audit`);
    const actions = await page.locator('table.audit > tbody > tr > td:nth-child(3) > code').allTextContents();
    for (const step of ['product.create', 'variant.create', 'product.image_add', 'product.publish', 'variant.stock_adjust']) expect(actions).toContain(step);
    expect(actions.indexOf('variant.stock_adjust')).toBeLessThan(actions.indexOf('product.create'));
    expect(await page.locator('table.audit > tbody').textContent()).toContain(ADMIN.email);
    await page.getByLabel('Action').fill('product.');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/action=product\./);
    const filtered = await page.locator('table.audit > tbody > tr > td:nth-child(3) > code').allTextContents();
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((a) => a.startsWith('product.'))).toBe(true);
    await page.locator('table.audit > tbody > tr > td details summary').first().click();
    await screenshot(page, 'audit');
    await expectAccessible(page, 'audit');
    await page.context().close();
  });

  it('manages categories: the tree, a refused slug at its field, a rename, and delete behind the dialog', async () => {
    const page = await desktop();
    await signInAs(page, stack.backofficeUrl, ADMIN);
    await page.goto(stack.backofficeUrl);
    await page.getByRole('link', { name: 'Categories' }).click();
    await page.waitForURL(/\/categories$/);
    const form = page.getByRole('form', { name: 'New category' });
    await form.getByLabel('Name').fill('Trail maps');
    await form.getByLabel('Slug').fill('Trail Maps');
    await form.getByRole('button', { name: 'Create category' }).click();
    await expect.poll(() => page.locator('#new-slug-error').textContent()).toMatch(/^Slug/);
    await screenshot(page, 'categories-errors');
    await expectAccessible(page, 'categories with a field error');
    await form.getByLabel('Slug').fill(`trail-maps-${slug}`);
    await form.getByRole('button', { name: 'Create category' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Category Trail maps created');
    await screenshot(page, 'categories');
    await expectAccessible(page, 'categories');
    await page.getByRole('link', { name: 'Trail maps', exact: true }).click();
    await page.getByLabel('Name').fill('Trail and hiking maps');
    await page.getByRole('button', { name: 'Save category' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Category Trail and hiking maps saved');
    await page.getByRole('link', { name: 'Trail and hiking maps', exact: true }).click();
    await expectAccessible(page, 'category');
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('Delete the category Trail and hiking maps?');
    await dialog.getByRole('button', { name: /yes|delete/i }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Category deleted');
    expect(await page.getByRole('link', { name: 'Trail and hiking maps', exact: true }).count()).toBe(0);
    await page.context().close();
  });

  it('shows staff no price, publish, delete or audit controls, and the API refuses them when forced', async () => {
    const page = await desktop();
    await signInAs(page, stack.backofficeUrl, STAFF);
    await page.goto(stack.backofficeUrl);
    expect(await page.getByRole('link', { name: 'Audit log' }).count()).toBe(0);
    await page.goto(`${stack.backofficeUrl}/products`);
    expect(await page.getByRole('link', { name: 'New product' }).count()).toBe(0);
    expect(await page.getByRole('columnheader', { name: 'From' }).count()).toBe(0);
    await page.goto(productUrl);
    expect(await page.getByRole('columnheader', { name: 'Price' }).count()).toBe(0);
    expect(await page.locator('input[name=price]').count()).toBe(0);
    for (const name of ['Publish', 'Unpublish', 'Delete', 'Upload', 'Add variant']) expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
    expect(await page.getByText(`Stock of FN-${slug}-A5: adjust and history`).count()).toBe(1);
    await screenshot(page, 'product-as-staff');
    await expectAccessible(page, 'product as staff');
    await page.goto(`${stack.backofficeUrl}/audit`);
    expect(await page.locator('h1').textContent()).toBe('Not for your role');
    await expectAccessible(page, 'forbidden');

    const token = await stack.tokenOf(STAFF);
    const product = (await (await api(`/api/admin/products?q=notebook&limit=5`, token)).json()) as { items: { id: string; slug: string }[] };
    const id = product.items.find((p) => p.slug === slug)!.id;
    const detail = (await (await api(`/api/admin/products/${id}`, token)).json()) as { variants: { id: string }[] };
    const variantId = detail.variants[0]!.id;
    const refused = [
      await api(`/api/admin/variants/${variantId}`, token, { method: 'PATCH', body: JSON.stringify({ priceMinor: 1 }) }),
      await api(`/api/admin/products/${id}`, token, { method: 'PATCH', body: JSON.stringify({ status: 'draft' }) }),
      await api(`/api/admin/audit`, token),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403]);
    expect(((await refused[0]!.json()) as { message: string }).message).toContain('catalog.write');
    const allowed = await api(`/api/admin/variants/${variantId}/stock-adjustments`, token, { method: 'POST', body: JSON.stringify({ delta: 1, reason: 'found one' }) });
    expect(allowed.status).toBe(201);
    await page.context().close();
  });
});
