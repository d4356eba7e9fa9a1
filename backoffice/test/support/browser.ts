import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissing } from '@shop/platform/testing';

export { launchChromium } from '@shop/platform/testing';

/** Why the browser suites cannot run here, or null; on CI a missing browser fails instead. */
export const browserMissing = () => chromiumMissing('the back-office browser tests');

/**
 * Where screenshots go: `BACKOFFICE_SCREENSHOTS=docs/screenshots/backoffice` refreshes the committed
 * ones; otherwise a scratch directory, so a test run leaves the work tree clean.
 */
const shotsDir = resolve(import.meta.dirname, '../../..', process.env.BACKOFFICE_SCREENSHOTS ?? 'node_modules/.cache/backoffice-screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: resolve(shotsDir, `${name}.png`), fullPage: true });
}

/** Signs in through the sign-in form, as a person would. */
export async function signInAs(page: Page, baseUrl: string, account: { email: string; password: string }): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}
