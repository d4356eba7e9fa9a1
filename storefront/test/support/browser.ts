import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { chromiumMissing } from '@shop/platform/testing';

export { launchChromium } from '@shop/platform/testing';

/** Why the browser suites cannot run here, or null; on CI a missing browser fails instead. */
export const browserMissing = () => chromiumMissing('the storefront browser tests');

/**
 * Where page screenshots go: `STOREFRONT_SCREENSHOTS=docs/screenshots/storefront` refreshes the
 * committed ones; otherwise a scratch directory, so a test run leaves the work tree clean.
 */
const shotsDir = resolve(import.meta.dirname, '../../..', process.env.STOREFRONT_SCREENSHOTS ?? 'node_modules/.cache/storefront-screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: resolve(shotsDir, `${name}.png`) });
}
