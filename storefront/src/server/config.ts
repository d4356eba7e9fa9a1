import { z } from 'zod';
import { env, parseEnv } from '@shop/platform';

/** Every environment variable the storefront reads, with its default and a description (docs/configuration.md). */
export const storefrontEnvSchema = z
  .object({
    STOREFRONT_PORT: env.port(3200).describe('HTTP port of the storefront (the shop shoppers open).'),
    HOST: z.string().default('127.0.0.1').describe('Interface to listen on (`0.0.0.0` in containers).'),
    COMMERCE_URL: env.url(['http:', 'https:'], 'http://').default('http://127.0.0.1:3000').describe('The commerce API the storefront renders from and proxies `/api/*` to.'),
    PUBLIC_URL: env.url(['http:', 'https:'], 'http://').optional().describe("The public origin for canonical URLs, Open Graph and the sitemap; unset: the request's host."),
    ANALYTICS_URL: env.url(['http:', 'https:'], 'http://').optional().describe('The analytics collector page and product views are forwarded to (with ANALYTICS_WRITE_KEY).'),
    ANALYTICS_WRITE_KEY: z.string().regex(/^wk_[\w-]{32,97}$/, { message: 'must be an analytics write key (wk_...)' }).optional().describe("The shop tenant's write key, added to forwarded events on the server."),
    SHOP_NAME: z.string().min(1).max(60).default('Northwind Supply').describe('The name shown in the header, titles and the web app manifest.'),
    LOG_LEVEL: env.logLevel().describe('pino log level.'),
    COUNTRY_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, { message: 'must be an HTTP header name' })
      .default('x-country')
      .describe("A header the deployment sets to the visitor's ISO 3166 country (e.g. a CDN's `CF-IPCountry`): with no region chosen, the visitor is placed in that country's region, else in that of Accept-Language's country (`ja-JP`), else the first region."),
    COOKIE_SECURE: env.boolean(false).describe('Marks cookies `Secure`; set `true` behind HTTPS.'),
  })
  .refine((c) => Boolean(c.ANALYTICS_URL) === Boolean(c.ANALYTICS_WRITE_KEY), {
    message: 'ANALYTICS_URL and ANALYTICS_WRITE_KEY must be set together',
    path: ['ANALYTICS_WRITE_KEY'],
  })
  .describe('storefront');

export type StorefrontConfig = z.output<typeof storefrontEnvSchema>;

export function loadStorefrontConfig(source: NodeJS.ProcessEnv = process.env): StorefrontConfig {
  return parseEnv(storefrontEnvSchema as unknown as z.ZodObject, source) as StorefrontConfig;
}
