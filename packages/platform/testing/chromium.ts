import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Why a browser suite cannot run here, or null. Without Debian's Chromium a developer's run
 * skips with this reason; CI (CI or REQUIRE_SERVICES=1) must fail instead, as for the engines.
 */
export function chromiumMissing(suite: string): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `${CHROMIUM} is missing (apt-get install -y --no-install-recommends chromium)`;
  if (process.env.REQUIRE_SERVICES === '1' || process.env.CI) throw new Error(`${suite} needs Chromium: ${reason}`);
  return reason;
}

/** Debian's Chromium, headless, with nothing that reaches out to the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
