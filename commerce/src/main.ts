import cluster from 'node:cluster';
import { ConfigError, createLogger, onShutdownSignal } from '@shop/platform';
import { createCommerceApp } from './app.ts';
import { loadCommerceConfig, type CommerceConfig } from './config.ts';
import { runWorkers } from './process-cluster.ts';

/** Starts the commerce API; used by `npm start` (through scripts/start.ts) and on its own. */
export async function startCommerce(config: CommerceConfig = loadCommerceConfig()) {
  const logger = createLogger('commerce', config.LOG_LEVEL);
  const app = await createCommerceApp(config, logger);
  await app.server.listen({ port: config.COMMERCE_PORT, host: config.HOST });
  onShutdownSignal(logger, () => app.stoppables);
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.COMMERCE_PORT}`;
  return { app, url, logger };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const config = loadCommerceConfig();
    if (config.COMMERCE_PROCESSES > 1 && cluster.isPrimary) {
      await runWorkers(config, createLogger('commerce', config.LOG_LEVEL));
      const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.COMMERCE_PORT}`;
      console.log(`commerce API  ${url}/api   docs ${url}/docs   (${config.COMMERCE_PROCESSES} processes)`);
    } else {
      const { url } = await startCommerce(config);
      if (cluster.isPrimary) console.log(`commerce API  ${url}/api   docs ${url}/docs`);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
