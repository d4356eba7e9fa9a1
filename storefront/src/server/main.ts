import { ConfigError } from '@shop/platform';
import { createStorefrontApp } from './app.ts';
import { loadStorefrontConfig } from './config.ts';

/** Starts the storefront; used by `npm start` (through scripts/start.ts) and on its own. */
export async function startStorefront() {
  const config = loadStorefrontConfig();
  const app = await createStorefrontApp(config);
  await app.listen({ port: config.STOREFRONT_PORT, host: config.HOST });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return { app, url: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.STOREFRONT_PORT}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { url } = await startStorefront();
    console.log(`storefront  ${url}`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
