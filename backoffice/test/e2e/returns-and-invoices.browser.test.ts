import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntryProcess } from '@shop/web/testing';
import { expectAccessible } from '@shop/web/testing';
import { browserMissing, launchChromium, screenshot, signInAs } from '../support/browser.ts';
import { startStorefrontProcess } from '../support/storefront-process.ts';
import { ADMIN, STAFF, startStack, until, type Stack } from '../support/stack.ts';

const missing = browserMissing();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON read by the assertions
type Json = Record<string, any>;

/**
 * A guest's delivered order seen by the guest in the storefront (invoice download, return request,
 * its status) and by staff in the back office (returns queue: approve, receive and restock; invoice
 * and credit note on the order detail), each page checked with axe and photographed.
 */
describe.skipIf(missing !== null)(`returns and invoices in the storefront and the back office, in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let stack: Stack;
  let storefront: EntryProcess;
  let browser: Browser;
  let adminToken: string;
  let order: { orderId: string; orderNumber: string; orderToken: string; variantId: string };

  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> => {
    const res = await fetch(`${stack.commerceUrl}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), authorization: `Bearer ${adminToken}`, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
  };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
    storefront = await startStorefrontProcess(stack.commerceUrl);
    adminToken = await stack.tokenOf(ADMIN);
    const products = (await (await fetch(`${stack.commerceUrl}/api/products?limit=1`)).json()) as Json;
    const detail = (await (await fetch(`${stack.commerceUrl}/api/products/${products.items[0].id}`)).json()) as Json;
    const variantId = detail.variants[0].id as string;
    const added = (await (await fetch(`${stack.commerceUrl}/api/cart/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ variantId, quantity: 2 }) })).json()) as Json;
    const placed = await fetch(`${stack.commerceUrl}/api/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cart-token': added.cartToken, 'idempotency-key': `e2e-${randomUUID()}` },
      body: JSON.stringify({ email: 'returns@example.com', shippingAddress: { name: 'Grace Hopper', line1: '1 rue de Rivoli', city: 'Paris', postalCode: '75001', country: 'FR' }, shippingOptionId: 'standard', paymentMethod: '4242424242424242' }),
    });
    const json = (await placed.json()) as Json;
    order = { orderId: json.orderId, orderNumber: json.orderNumber, orderToken: json.orderToken, variantId };
    let shipment: Json | undefined;
    await until('a label for the order', async () => (shipment = (await api('GET', `/api/admin/shipments?orderId=${order.orderId}`)).json.shipments?.[0]) !== undefined, 60_000);
    expect((await api('POST', `/api/admin/shipments/${shipment!.id}/advance`, { status: 'delivered' })).status).toBe(200);
    await until('the order delivered', async () => (await api('GET', `/api/admin/orders/${order.orderId}`)).json.status === 'delivered', 30_000);
  }, 660_000);
  afterAll(async () => {
    await browser?.close();
    await storefront?.stop();
    await stack?.close();
  });

  it('the guest downloads the invoice and asks to return one unit; the page shows the request', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', acceptDownloads: true });
    const page = await context.newPage();
    const orderUrl = `${storefront.url}/orders/${order.orderId}?token=${encodeURIComponent(order.orderToken)}`;
    await page.goto(orderUrl);
    const invoiceLink = page.getByRole('link', { name: /Download invoice INV-\d{4}-\d{6}/ });
    await invoiceLink.waitFor();
    const pdf = await context.request.get(new URL((await invoiceLink.getAttribute('href'))!, storefront.url).toString());
    expect([pdf.status(), pdf.headers()['content-type'], (await pdf.body()).subarray(0, 5).toString()]).toEqual([200, 'application/pdf', '%PDF-']);

    await expect.poll(() => page.getByRole('heading', { name: 'Request a return' }).count()).toBe(1);
    await page.getByLabel('Why are you returning it?').fill('Too large');
    await page.getByRole('button', { name: 'Request a return' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Choose how many');
    await screenshot(page, 'storefront-return-refused-empty');
    await expectAccessible(page, 'order page with a return form error');
    expect(await page.getByLabel('Why are you returning it?').inputValue()).toBe('Too large');
    await page.getByLabel(/up to 2/).fill('1');
    await page.getByRole('button', { name: 'Request a return' }).click();
    await page.waitForURL(/#returns$/);
    expect(await page.locator('[data-return-status=requested]').textContent()).toContain('1 ×');
    expect(await page.locator('[data-timeline]').textContent()).toContain('Return requested: 1 unit (Too large)');
    await page.evaluate('window.scrollTo(0, 0)'); // the sticky header would sit mid-page in a full-page shot
    await screenshot(page, 'storefront-return-requested');
    await expectAccessible(page, 'order page with a return requested');
    await context.close();
  }, 120_000);

  it('staff approve and receive it from the queue (restocked); the refund is paid and the credit note is on the order detail', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    const page = await context.newPage();
    await signInAs(page, stack.backofficeUrl, STAFF);
    await page.getByRole('link', { name: 'Returns' }).click();
    await page.waitForURL(/\/returns$/);
    const row = page.locator('tr', { hasText: order.orderNumber });
    await row.getByLabel(`Note for ${order.orderNumber}`).fill('Send it to the warehouse');
    await screenshot(page, 'backoffice-returns-queue');
    await expectAccessible(page, 'returns queue');
    await row.getByRole('button', { name: `Approve return of ${order.orderNumber}` }).click();
    await page.waitForURL(/done=/);
    expect(await page.locator('body').textContent()).toContain(`Return of ${order.orderNumber} approved`);
    await page.locator('tr', { hasText: order.orderNumber }).getByRole('button', { name: `Received: restock (${order.orderNumber})` }).click();
    await page.waitForURL(/done=/);
    expect(await page.locator('tr', { hasText: order.orderNumber }).textContent()).toContain('restock');
    await screenshot(page, 'backoffice-return-received');

    await until('the refund paid out and its credit note issued', async () => {
      const detail = (await api('GET', `/api/admin/orders/${order.orderId}`)).json;
      const docs = (await api('GET', `/api/admin/orders/${order.orderId}/invoices`)).json.documents ?? [];
      return detail.refunds?.[0]?.status === 'refunded' && docs.length === 2;
    }, 30_000);
    await page.goto(`${stack.backofficeUrl}/orders/${order.orderId}`);
    const note = page.getByRole('link', { name: /Download credit note CN-\d{4}-\d{6}/ });
    await note.waitFor();
    const pdf = await context.request.get(new URL((await note.getAttribute('href'))!, stack.backofficeUrl).toString());
    expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
    expect(await page.getByRole('link', { name: /Download invoice INV-/ }).count()).toBe(1);
    await page.getByRole('heading', { name: 'Invoices' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'backoffice-order-invoices');
    await expectAccessible(page, 'order detail with invoices');
    await context.close();
  }, 120_000);
});
