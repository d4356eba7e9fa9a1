import { ConfigError } from '@shop/platform';
import { createBackofficeApp } from './app.ts';
import { loadBackofficeConfig } from './config.ts';

/** Starts the back office; used by `npm start` (through scripts/start.ts) and on its own. */
export async function startBackoffice() {
  const config = loadBackofficeConfig();
  const app = await createBackofficeApp(config);
  await app.listen({ port: config.BACKOFFICE_PORT, host: config.HOST });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return { app, url: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.BACKOFFICE_PORT}` };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { url } = await startBackoffice();
    console.log(`back office  ${url}`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
