import { z } from 'zod';
import { env, parseEnv } from '@shop/platform';

/** Every environment variable the storefront reads, with its default. */
const schema = z
  .object({
    STOREFRONT_PORT: env.port(3200),
    HOST: z.string().default('127.0.0.1'),
    /** The commerce API the storefront renders from and proxies `/api/*` to. */
    COMMERCE_URL: env.url(['http:', 'https:'], 'http://').default('http://127.0.0.1:3000'),
    /** The public origin for canonical URLs, Open Graph and the sitemap; the request's host when unset. */
    PUBLIC_URL: env.url(['http:', 'https:'], 'http://').optional(),
    /** The analytics collector and the shop tenant's write key: page and product views are forwarded there. */
    ANALYTICS_URL: env.url(['http:', 'https:'], 'http://').optional(),
    ANALYTICS_WRITE_KEY: z.string().regex(/^wk_[\w-]{32,97}$/, { message: 'must be an analytics write key (wk_...)' }).optional(),
    SHOP_NAME: z.string().min(1).max(60).default('Northwind Supply'),
    LOG_LEVEL: env.logLevel(),
    COOKIE_SECURE: env.boolean(false),
  })
  .refine((c) => Boolean(c.ANALYTICS_URL) === Boolean(c.ANALYTICS_WRITE_KEY), {
    message: 'ANALYTICS_URL and ANALYTICS_WRITE_KEY must be set together',
    path: ['ANALYTICS_WRITE_KEY'],
  });

export type StorefrontConfig = z.output<typeof schema>;

export function loadStorefrontConfig(source: NodeJS.ProcessEnv = process.env): StorefrontConfig {
  return parseEnv(schema as unknown as z.ZodObject, source) as StorefrontConfig;
}
