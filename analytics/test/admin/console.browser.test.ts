import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@shop/platform';
import { createAnalyticsApp, type AnalyticsApp } from '../../src/app.ts';
import { loadAnalyticsConfig } from '../../src/config.ts';
import { chromiumMissing, launchChromium } from '@shop/platform/testing';

const missing = chromiumMissing('the analytics console test');
const TOKEN = 'console-e2e-admin-token-0123456789';
const SHOTS = join(import.meta.dirname, '../../../docs/screenshots/analytics-admin');

async function axeClean(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

const text = async (page: Page, selector: string) => ((await page.textContent(selector)) ?? '').trim();

/** Moves focus with Tab until `selector` has it: proves the control is reachable by keyboard. */
async function tabTo(page: Page, selector: string, maxTabs = 40) {
  for (let i = 0; i < maxTabs; i++) {
    if (await page.locator(`${selector}:focus`).count()) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} was not reached with Tab`);
}

describe.skipIf(missing !== null)(`the analytics console in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let app: AnalyticsApp;
  let dir: string;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'analytics-console-'));
    const config = loadAnalyticsConfig({ DATA_DIR: dir, ANALYTICS_ADMIN_TOKEN: TOKEN, ANALYTICS_SHED_EVENT_LOOP_DELAY_MS: '0', ANALYTICS_LOG_PARTITIONS: '1', ANALYTICS_BATCH_IN_PROCESS: 'false' });
    app = await createAnalyticsApp(config, createLogger('console-e2e', 'silent'));
    await app.server.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.server.address() as AddressInfo).port}`;
    await mkdir(SHOTS, { recursive: true });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates a tenant, makes a write key, and the count moves when an event is sent with it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    const failed: string[] = [];
    page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));

    // Sign in from the keyboard.
    await page.goto(`${base}/console`);
    await axeClean(page, 'sign-in');
    await page.screenshot({ path: join(SHOTS, 'sign-in.png'), fullPage: true });
    await tabTo(page, '#f-token');
    await page.keyboard.type(TOKEN);
    await page.keyboard.press('Enter');
    await page.waitForSelector('h1:text("Tenants")');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'analytics_console', httpOnly: true, sameSite: 'Strict', path: '/console' });

    // A new tenant: a refused time zone first, its message next to the field.
    await tabTo(page, 'a.button[href="/console/tenants/new"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#f-id');
    await page.fill('#f-id', 'acme-shop');
    await page.fill('#f-name', 'Acme shop');
    await page.fill('#f-timeZone', 'Asia/Calcutta_Typo');
    await page.fill('#f-dailyQuota', '5000');
    await page.fill('#f-maxEventAgeDays', '400');
    await page.focus('#f-maxEventAgeDays');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#f-timeZone-error');
    expect(await text(page, '#f-timeZone-error')).toMatch(/is not an IANA time zone/);
    expect(await page.getAttribute('#f-timeZone', 'aria-describedby')).toContain('f-timeZone-error');
    expect(await page.inputValue('#f-dailyQuota')).toBe('5000');
    await axeClean(page, 'tenant form with an error');
    await page.screenshot({ path: join(SHOTS, 'new-tenant-field-error.png'), fullPage: true });

    await page.fill('#f-timeZone', 'Asia/Kolkata');
    await page.focus('#f-timeZone');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.notice:text("Tenant created.")');
    expect(page.url()).toBe(`${base}/console/tenants/acme-shop?done=created`);
    expect(await text(page, '#time-zone')).toBe('Asia/Kolkata');
    expect(await text(page, '#used-today')).toBe('0');

    // A write key, shown once.
    await page.fill('#f-label', 'web');
    await tabTo(page, 'form[action$="/keys"] button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#plain-key');
    const writeKey = await page.inputValue('#plain-key');
    expect(writeKey).toMatch(/^wk_[\w-]{32}$/);
    await axeClean(page, 'key created');
    await page.screenshot({ path: join(SHOTS, 'key-created.png'), fullPage: true });

    // An event, sent as curl would: a plain POST to the collector with the key as Basic user.
    const sent = await fetch(`${base}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ userId: 'user-1', event: 'Signed Up' }),
    });
    expect(sent.status).toBe(200);

    await page.goto(`${base}/console/tenants/acme-shop`);
    expect(await text(page, '#used-today')).toBe('1');
    expect(await text(page, '#accepted')).toBe('1');
    expect(await text(page, '#quota-left')).toBe('4,999 of 5,000');
    expect(await text(page, 'table#keys tbody tr:first-child td:nth-child(3)')).toBe('web');
    expect(await page.content()).not.toContain(writeKey);
    await axeClean(page, 'tenant');
    await page.screenshot({ path: join(SHOTS, 'tenant.png'), fullPage: true });

    await page.goto(`${base}/console`);
    expect(await text(page, 'tr[data-tenant="acme-shop"] [data-count="today"]')).toBe('1');
    await axeClean(page, 'tenants');
    await page.screenshot({ path: join(SHOTS, 'tenants.png'), fullPage: true });

    // Revoking asks first; then the key is refused.
    await page.goto(`${base}/console/tenants/acme-shop`);
    await tabTo(page, 'a.danger');
    await page.keyboard.press('Enter');
    await page.waitForSelector('button.danger:text("Revoke key")');
    await axeClean(page, 'revoke confirmation');
    await page.screenshot({ path: join(SHOTS, 'revoke-confirm.png'), fullPage: true });
    await tabTo(page, 'button.danger');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.notice:text("Key revoked.")');
    expect(await text(page, 'table#keys tbody tr:first-child td:nth-child(5)')).toMatch(/^revoked /);
    const refused = await fetch(`${base}/v1/track`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ userId: 'user-1', event: 'Signed Up' }),
    });
    expect(refused.status).toBe(401);

    // An erasure, confirmed, then followed.
    await page.fill('#f-userId', 'user-1');
    await page.focus('#f-userId');
    await page.keyboard.press('Enter');
    await page.waitForSelector('button.danger:text("Erase")');
    await axeClean(page, 'erasure confirmation');
    await tabTo(page, 'button.danger');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#erasure-status');
    expect(page.url()).toMatch(/\/console\/tenants\/acme-shop\/erasures\/er-[0-9a-f]{24}$/);
    await axeClean(page, 'erasure');
    await page.screenshot({ path: join(SHOTS, 'erasure.png'), fullPage: true });

    // Signing out ends the session in this browser.
    await page.click('button:text("Sign out")');
    await page.waitForSelector('#f-token');
    expect(await context.cookies()).toEqual([]);

    expect(urls.filter((u) => u.includes(TOKEN) || u.includes(writeKey))).toEqual([]);
    // The one refused form answers 400 by design (the browser logs that as a failed load); nothing else failed.
    expect(failed).toEqual(['400 POST /console/tenants']);
    expect(problems.filter((p) => !p.includes('status of 400'))).toEqual([]);
    await context.close();
  }, 90_000);
});
