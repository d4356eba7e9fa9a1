import { z } from 'zod';
import { env, parseEnv } from '@shop/platform';

/** Every environment variable the back office reads, with its default and a description (docs/configuration.md). */
export const backofficeEnvSchema = z
  .object({
    BACKOFFICE_PORT: env.port(3300).describe('HTTP port of the back office (the shop staff sign in here).'),
    HOST: z.string().default('127.0.0.1').describe('Interface to listen on (`0.0.0.0` in containers).'),
    COMMERCE_URL: env.url(['http:', 'https:'], 'http://').default('http://127.0.0.1:3000').describe('The commerce API the back office renders from and proxies `/api/*` to.'),
    PUBLIC_URL: env.url(['http:', 'https:'], 'http://').optional().describe("The back office's public origin, checked against the Origin of form posts; unset: the request's host."),
    STOREFRONT_URL: env.url(['http:', 'https:'], 'http://').optional().describe('The storefront, for "View in shop" links; unset: no such links.'),
    BACKOFFICE_ANALYTICS_URL: env.url(['http:', 'https:'], 'http://').optional().describe("The analytics platform: the home page shows today's shopper numbers from its query API, and links to its dashboard; unset: the home page says analytics is not configured."),
    BACKOFFICE_ANALYTICS_READ_KEY: z.string().regex(/^rk_[\w-]{32,97}$/, { message: 'must be a read key (rk_...)' }).optional().describe("The shop's analytics read key (`rk_...`), sent server-side as `Authorization: Bearer`, never put in a page or a link."),
    SHOP_NAME: z.string().min(1).max(60).default('Northwind Supply').describe('The shop name shown in the header and titles.'),
    UPLOAD_LIMIT_BYTES: env.positiveInt(5 * 1024 * 1024).describe('Largest product image the proxy passes to the API (the API has its own limit).'),
    LOG_LEVEL: env.logLevel().describe('pino log level.'),
  })
  .describe('backoffice');

export type BackofficeConfig = z.output<typeof backofficeEnvSchema>;

export function loadBackofficeConfig(source: NodeJS.ProcessEnv = process.env): BackofficeConfig {
  return parseEnv(backofficeEnvSchema as unknown as z.ZodObject, source) as BackofficeConfig;
}
