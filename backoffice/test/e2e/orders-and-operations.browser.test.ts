import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realEngine } from '@shop/platform/testing';
import { expectAccessible } from '@shop/web/testing';
import { browserMissing, launchChromium, screenshot, signInAs } from '../support/browser.ts';
import { ADMIN, STAFF, startStack, until, type Stack } from '../support/stack.ts';

const missing = browserMissing();
const postgres = await realEngine('postgres');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON read by the assertions
type Json = Record<string, any>;

/**
 * Runs the API on a throwaway database of the real PostgreSQL: the dead-letter story needs to turn
 * a finished delivery into a dead one from outside, as the bus leaves it after its last attempt.
 */
describe.skipIf(missing !== null || !postgres.available)(
  `orders, shipments and operations in the back office, in Chromium${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let stack: Stack;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let db: pg.Client;
    const dbName = `bo_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
    const shopper = `shopper-${randomUUID().slice(0, 8)}@example.com`;
    let order: { orderId: string; orderNumber: string };
    let adminToken: string;

    const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json }> => {
      const res = await fetch(`${stack.commerceUrl}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), authorization: `Bearer ${adminToken}`, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
    };
    const adminOrder = async () => (await api('GET', `/api/admin/orders/${order.orderId}`)).json;

    beforeAll(async () => {
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      await admin.query(`create database ${dbName}`);
      await admin.end();
      const url = new URL(postgres.url);
      url.pathname = `/${dbName}`;
      [stack, browser] = await Promise.all([startStack({}, { DATABASE_URL: url.toString() }), launchChromium()]);
      db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      adminToken = await stack.tokenOf(ADMIN);

      // A shopper buys two units as a guest, through the public API as the storefront does.
      const products = (await (await fetch(`${stack.commerceUrl}/api/products?limit=1`)).json()) as Json;
      const detail = (await (await fetch(`${stack.commerceUrl}/api/products/${products.items[0].id}`)).json()) as Json;
      const added = await fetch(`${stack.commerceUrl}/api/cart/items`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ variantId: detail.variants[0].id, quantity: 2 }),
      });
      const cartToken = ((await added.json()) as Json).cartToken as string;
      const placed = await fetch(`${stack.commerceUrl}/api/checkout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cart-token': cartToken, 'idempotency-key': `e2e-${randomUUID()}` },
        body: JSON.stringify({
          email: shopper,
          shippingAddress: { name: 'Grace Hopper', line1: '12 Quai de la Tournelle', city: 'Paris', postalCode: '75005', country: 'FR' },
          shippingOptionId: 'standard',
          paymentMethod: '4242424242424242',
        }),
      });
      order = (await placed.json()) as { orderId: string; orderNumber: string };
      await until('the order is fulfilled and confirmed', async () => {
        const o = await adminOrder();
        return o.status === 'fulfilled' && o.emails.length > 0;
      }, 120_000);
      context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      page = await context.newPage();
      await signInAs(page, stack.backofficeUrl, ADMIN);
    }, 660_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await stack?.close();
      await db?.end();
      const dropper = new pg.Client({ connectionString: postgres.url });
      await dropper.connect();
      await dropper.query(`drop database if exists ${dbName} with (force)`);
      await dropper.end();
    });

    it("finds the shopper's order with the filters and opens it", async () => {
      await page.getByRole('link', { name: 'Orders' }).click();
      await page.getByLabel('Email').fill(shopper);
      await page.getByLabel('Status').selectOption('fulfilled');
      await page.getByRole('button', { name: 'Filter' }).click();
      await expect.poll(() => page.locator('table tbody tr').count()).toBe(1);
      await screenshot(page, 'orders');
      await expectAccessible(page, 'orders');

      await page.getByRole('link', { name: order.orderNumber }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(order.orderNumber);
      await expect.poll(() => page.getByRole('region', { name: 'Emails sent' }).textContent()).toContain('confirmed');
      await expect.poll(() => page.getByRole('region', { name: 'Payment' }).textContent()).toContain('captured');
      await screenshot(page, 'order-detail');
      await expectAccessible(page, 'order detail');
    });

    it('ships it: the shipment moves to in transit and the order to shipped', async () => {
      await page.getByLabel('Move to').selectOption('in_transit');
      await page.getByRole('button', { name: 'Update shipment' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('is now in transit');
      await until('the order is shipped', async () => (await adminOrder()).status === 'shipped');
      await page.reload();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('shipped');
    });

    it('refunds one unit after a confirmation; a refund above what is left gets the API’s own error', async () => {
      const before = await adminOrder();
      await page.getByLabel(/each\)$/).fill('1');
      await page.getByLabel('Reason').fill('One mug arrived chipped');
      await page.getByLabel('I have checked the refund').check();
      await page.getByRole('button', { name: 'Refund', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await expect.poll(() => dialog.isVisible()).toBe(true);
      await screenshot(page, 'refund-confirmation');
      await dialog.getByRole('button', { name: 'Yes, do it' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Refund of');
      await until('the refund is paid out', async () => (await adminOrder()).refunds.every((r: Json) => r.status === 'refunded'));
      const after = await adminOrder();
      expect(after.payment).toMatchObject({ state: 'partially_refunded', refundedMinor: before.lines[0].unitPriceMinor });

      await page.reload();
      await page.getByLabel('An amount').check();
      await page.getByLabel(/^Amount in/).fill(((after.refundableMinor + 100) / 100).toFixed(2));
      await page.getByLabel('Reason').fill('Too generous');
      await page.getByLabel('I have checked the refund').check();
      await page.getByRole('button', { name: 'Refund', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Yes, do it' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('ORDERS.REFUND_EXCEEDS_CAPTURED');
      // The refusal also sits next to the field it is about, tied to it for screen readers.
      const amount = page.getByLabel(/^Amount in/);
      expect(await amount.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator(`#${(await amount.getAttribute('aria-describedby'))!.split(' ')[1]}`).textContent()).toContain('would exceed');
      await screenshot(page, 'refund-refused');
      await expectAccessible(page, 'order detail with the refund refused');
      expect((await adminOrder()).refunds).toHaveLength(1);
    });

    it('resends the confirmation email', async () => {
      await page.getByRole('button', { name: 'Resend confirmation email' }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain(`Confirmation sent again to ${shopper}`);
      await screenshot(page, 'order-after-actions');
    });

    it('the audit log holds each step: who, what, before and after', async () => {
      const entries = (await api('GET', `/api/admin/audit?limit=50`)).json.entries as Json[];
      const mine = entries.filter((e) => e.subject.id === order.orderId || e.summary.includes(order.orderNumber));
      expect(mine.map((e) => e.action).reverse()).toEqual(['shipment.advance', 'order.refund', 'order.resend_confirmation']);
      for (const e of mine) expect(e.actor).toMatchObject({ email: ADMIN.email, role: 'admin' });
      const refund = mine.find((e) => e.action === 'order.refund')!;
      expect(refund.after.refundedMinor - refund.before.refundedMinor).toBe(refund.after.refund.amountMinor);
      // And the audit screen shows them, newest first, with the state before and after.
      await page.getByRole('link', { name: 'Audit log' }).click();
      const rows = page.locator('table.audit > tbody > tr');
      await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(3);
      const actions = (await rows.locator('> td:nth-child(3) > code').allTextContents()).slice(0, 3);
      expect(actions).toEqual(['order.resend_confirmation', 'order.refund', 'shipment.advance']);
      await rows.nth(1).getByText('Show changes').click();
      await expect.poll(() => rows.nth(1).locator('details').textContent()).toContain('refundedMinor');
      await screenshot(page, 'audit-log');
      await expectAccessible(page, 'audit log');
    });

    it('lists shipments with their labels, and customers', async () => {
      await page.goto(`${stack.backofficeUrl}/shipments`);
      await expect.poll(() => page.locator('table').textContent()).toContain(order.orderNumber);
      await screenshot(page, 'shipments');
      await expectAccessible(page, 'shipments');
      const label = await page.request.get(`${stack.backofficeUrl}${await page.getByRole('link', { name: `Label of ${order.orderNumber}` }).getAttribute('href')}`);
      expect(label.headers()['content-type']).toContain('image/svg+xml');
      expect(label.headers()['content-security-policy']).toContain('sandbox');

      await page.goto(`${stack.backofficeUrl}/customers`);
      await screenshot(page, 'customers');
      await expectAccessible(page, 'customers');
    });

    it('replays a dead letter from the screen; the handler runs again and sends nothing twice', async () => {
      const { rows } = await db.query<{ id: string }>(
        `update events.deliveries d set status = 'dead', last_error = 'MailUnavailableError: NOTIFICATIONS.MAIL_UNAVAILABLE: connect ECONNREFUSED', done_at = null
           from events.outbox o
          where o.id = d.event_id and d.subscriber = 'notifications' and d.event_type = 'payments.payment_completed.v1' and o.payload->>'orderId' = $1
          returning d.id`,
        [order.orderId],
      );
      expect(rows).toHaveLength(1);
      const id = Number(rows[0]!.id);
      await page.getByRole('link', { name: 'Operations' }).click();
      await expect.poll(() => page.locator('table').textContent()).toContain('ECONNREFUSED');
      await screenshot(page, 'dead-letters');
      await expectAccessible(page, 'dead letters');
      await page.getByRole('button', { name: `Replay delivery ${id}` }).click();
      await expect.poll(() => page.getByRole('status').textContent()).toContain('Replayed 1 delivery');
      await until('the replayed delivery is done', async () => (await db.query(`select status from events.deliveries where id = $1`, [id])).rows[0]?.status === 'done');
      await page.reload();
      await expect.poll(() => page.getByText('No dead letters').isVisible()).toBe(true);
      const mail = (await api('GET', '/api/admin/mail?limit=200')).json.messages as Json[];
      expect(mail.filter((m) => m.to.includes(shopper) && m.subject.includes('confirmed'))).toHaveLength(2); // the first and the resend, none from the replay
      const replays = (await api('GET', '/api/admin/audit?action=delivery.replay')).json.entries as Json[];
      expect(replays.map((e) => e.subject.id)).toEqual([String(id)]);
    });

    it('shows the engines', async () => {
      await page.goto(`${stack.backofficeUrl}/operations/health`);
      await expect.poll(() => page.locator('table').first().textContent()).toContain('postgresql');
      await screenshot(page, 'engines');
      await expectAccessible(page, 'engines');
    });

    it('shows captured mail in a sandboxed frame', async () => {
      await page.goto(`${stack.backofficeUrl}/operations/mail`);
      await page.getByRole('link', { name: /confirmed/ }).first().click();
      const frame = page.locator('iframe.mail-frame');
      expect(await frame.getAttribute('sandbox')).toBe('');
      const content = await page.request.get(`${stack.backofficeUrl}${await frame.getAttribute('src')}`);
      expect(content.headers()['content-security-policy']).toMatch(/^sandbox;/);
      expect(content.headers()['content-security-policy']).not.toContain('script-src');
      // The same HTML reached through this origin's /api proxy keeps the API's sandbox policy.
      const mailId = (await frame.getAttribute('src'))!.split('/')[3];
      const proxied = await page.request.get(`${stack.backofficeUrl}/api/admin/mail/${mailId}/html`);
      expect([proxied.status(), proxied.headers()['content-security-policy']]).toEqual([200, expect.stringMatching(/^sandbox;/)]);
      await expect.poll(() => page.frameLocator('iframe.mail-frame').locator('body').textContent()).toContain(order.orderNumber);
      // Framed, the email keeps its own layout (600 px wide, centred), inert: the sandbox runs no script in it.
      const body = await page.frameLocator('iframe.mail-frame').locator('body').boundingBox();
      expect(body?.width).toBeGreaterThan(300);
      await screenshot(page, 'mail');
      // axe cannot run inside a frame that may run no script; the frame's own title is part of the page it checks.
      await expectAccessible(page, 'captured mail', { frames: false });
    }, 90_000);

    it('staff see orders and shipments but no refund or operations; the API refuses a forced refund', async () => {
      const staffContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
      const staffPage = await staffContext.newPage();
      await signInAs(staffPage, stack.backofficeUrl, STAFF);
      const nav = await staffPage.getByRole('navigation', { name: 'Back office' }).textContent();
      expect(nav).toContain('Orders');
      expect(nav).toContain('Shipments');
      expect(nav).not.toContain('Operations');
      await staffPage.goto(`${stack.backofficeUrl}/orders/${order.orderId}`);
      expect(await staffPage.getByRole('heading', { name: 'Refund', exact: true }).count()).toBe(0);
      expect(await staffPage.getByRole('button', { name: 'Refund', exact: true }).count()).toBe(0);
      expect(await staffPage.getByRole('button', { name: 'Resend confirmation email' }).count()).toBe(1);
      await screenshot(staffPage, 'order-detail-staff');
      const forced = await fetch(`${stack.commerceUrl}/api/admin/orders/${order.orderId}/refunds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await stack.tokenOf(STAFF)}`, 'idempotency-key': `forced-${randomUUID()}` },
        body: JSON.stringify({ full: true, reason: 'forced' }),
      });
      expect(forced.status).toBe(403);
      expect((await staffPage.goto(`${stack.backofficeUrl}/operations/dead-letters`))?.status()).toBe(403);
      await staffContext.close();
    });
  },
);
