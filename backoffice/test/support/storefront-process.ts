import { freePort } from '@shop/platform/testing';
import { startEntryProcess, type EntryProcess } from '@shop/web/testing';

/**
 * The storefront as its own process in front of `commerceUrl`, to see what shoppers see after a
 * back-office change. Started by path, never imported: the two clients share nothing but the API.
 */
export async function startStorefrontProcess(commerceUrl: string): Promise<EntryProcess> {
  const port = await freePort();
  return startEntryProcess({
    entry: 'storefront/src/server/main.ts',
    env: { ...process.env, STOREFRONT_PORT: String(port), COMMERCE_URL: commerceUrl, LOG_LEVEL: 'warn' },
    port,
    readyPath: '/health',
    what: 'the storefront to listen',
  });
}
