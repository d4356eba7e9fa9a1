import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from '@shop/web/testing';
import { browserMissing, launchChromium, screenshot, signInAs } from '../support/browser.ts';
import { ADMIN, STAFF, startStack, type Stack } from '../support/stack.ts';

const missing = browserMissing();

/** Promotions and regions in the back office, in Chromium over the real API (embedded engines). */
describe.skipIf(missing !== null)(`promotions and regions in the back office, in Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack(), launchChromium()]);
  }, 660_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('an admin sees the demo codes, creates a code (a bad value is named next to its field), then disables it', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
    const page = await context.newPage();
    await signInAs(page, stack.backofficeUrl, ADMIN);
    await page.getByRole('link', { name: 'Promotions' }).click();
    await page.waitForURL(/\/promotions/);
    const list = page.locator('table');
    expect(await list.textContent()).toContain('WELCOME10');
    expect(await list.textContent()).toContain('automatic');

    await page.locator('#p-code').fill('SPRING15');
    await page.locator('#p-name').fill('Spring: 15% off');
    await page.locator('#p-kind').selectOption('percentage');
    await page.locator('#p-value').fill('150');
    await page.getByRole('button', { name: 'Create promotion' }).click();
    // 150% is refused by the API; the page names the field and keeps what was typed.
    await expect.poll(() => page.locator('form[aria-label="New promotion"]').textContent()).toMatch(/percentage is 1-10000 basis points/);
    expect(await page.locator('#p-code').inputValue()).toBe('SPRING15');
    await screenshot(page, 'promotions-create-refused');
    await expectAccessible(page, 'promotions with a refused form');

    await page.locator('#p-value').fill('15');
    await page.locator('#p-limit').fill('100');
    await page.getByRole('button', { name: 'Create promotion' }).click();
    await page.waitForURL(/done=/);
    const row = page.locator('tr', { hasText: 'SPRING15' });
    expect(await row.textContent()).toMatch(/15% off/);
    expect(await row.textContent()).toMatch(/0 \/ 100/);
    expect(await row.textContent()).toContain('Active');
    await screenshot(page, 'promotions');
    await expectAccessible(page, 'promotions');

    await row.getByRole('button', { name: 'Disable SPRING15' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, do it' }).click();
    await page.waitForURL(/disabled/);
    expect(await page.locator('tr', { hasText: 'SPRING15' }).textContent()).toContain('Disabled');
    await context.close();
  }, 180_000);

  it('staff read promotions without the forms, and the regions page lists currencies, tax settings and rates', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-GB' });
    const page = await context.newPage();
    await signInAs(page, stack.backofficeUrl, STAFF);
    await page.goto(`${stack.backofficeUrl}/promotions`);
    expect(await page.getByRole('button', { name: 'Create promotion' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Regions and taxes' }).click();
    await page.waitForURL(/\/regions/);
    const regions = (await page.locator('main').textContent())!;
    expect(regions).toMatch(/Europe.*EUR.*Tax included/s);
    expect(regions).toMatch(/United States.*USD.*Tax added at checkout/s);
    expect(regions).toMatch(/Japan.*JPY\s*0 decimals/s);
    expect(regions).toMatch(/DE\s*19%\s*7%/);
    await screenshot(page, 'regions');
    await expectAccessible(page, 'regions');
    await context.close();
  }, 120_000);
});
