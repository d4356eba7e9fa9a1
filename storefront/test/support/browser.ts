import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why the browser suites cannot run here, or null; on CI (CI or REQUIRE_SERVICES=1) a missing browser fails instead. */
export function browserMissing(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `${CHROMIUM} is missing (apt-get install -y --no-install-recommends chromium)`;
  if (process.env.REQUIRE_SERVICES === '1' || process.env.CI) throw new Error(`the storefront browser tests need Chromium: ${reason}`);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/**
 * Where page screenshots go: `STOREFRONT_SCREENSHOTS=docs/screenshots/storefront` refreshes the
 * committed ones; otherwise a scratch directory, so a test run leaves the work tree clean.
 */
const shotsDir = resolve(import.meta.dirname, '../../..', process.env.STOREFRONT_SCREENSHOTS ?? 'node_modules/.cache/storefront-screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: resolve(shotsDir, `${name}.png`) });
}
