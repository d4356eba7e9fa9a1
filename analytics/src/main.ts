import { ConfigError, createLogger, onShutdownSignal } from '@shop/platform';
import { createAnalyticsApp } from './app.ts';
import { loadAnalyticsConfig, type AnalyticsConfig } from './config.ts';

/** Starts the analytics API (collector + admin); used by `npm start` (through scripts/start.ts) and on its own. */
export async function startAnalytics(config: AnalyticsConfig = loadAnalyticsConfig()) {
  const logger = createLogger('analytics', config.LOG_LEVEL);
  const app = await createAnalyticsApp(config, logger);
  await app.server.listen({ port: config.ANALYTICS_PORT, host: config.HOST });
  onShutdownSignal(logger, () => app.stoppables);
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.ANALYTICS_PORT}`;
  if (!config.ANALYTICS_ADMIN_TOKEN) logger.warn('ANALYTICS_ADMIN_TOKEN is not set: the admin API answers 403; use the tenants CLI');
  return { app, url, logger };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { url } = await startAnalytics();
    console.log(`analytics collector ${url}/v1/batch   admin ${url}/admin/tenants   docs ${url}/docs   metrics ${url}/metrics`);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
