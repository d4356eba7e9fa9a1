import { ConfigError, createLogger, onShutdownSignal } from '@shop/platform';
import { createAnalyticsApp } from './app.ts';
import { loadAnalyticsConfig, type AnalyticsConfig } from './config.ts';
import { apiWorkerConfig } from './api-workers-config.ts';
import { apiWorkerIndex, runApiWorkers } from './api-workers.ts';

const urlOf = (config: AnalyticsConfig) => `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.ANALYTICS_PORT}`;

/** Starts the analytics API (collector + admin); used by `npm start` (through scripts/start.ts) and on its own. */
export async function startAnalytics(config: AnalyticsConfig = loadAnalyticsConfig()) {
  const logger = createLogger('analytics', config.LOG_LEVEL);
  const app = await createAnalyticsApp(config, logger);
  await app.server.listen({ port: config.ANALYTICS_PORT, host: config.HOST });
  onShutdownSignal(logger, () => app.stoppables);
  const url = urlOf(config);
  if (!config.ANALYTICS_ADMIN_TOKEN) logger.warn('ANALYTICS_ADMIN_TOKEN is not set: the admin API answers 403; use the tenants CLI');
  return { app, url, logger };
}

const announce = (url: string) => console.log(`analytics collector ${url}/v1/batch   admin ${url}/admin/tenants   docs ${url}/docs   metrics ${url}/metrics`);

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const config = loadAnalyticsConfig();
    const worker = apiWorkerIndex();
    if (config.ANALYTICS_API_WORKERS > 1 && worker === undefined) {
      const logger = createLogger('analytics-primary', config.LOG_LEVEL);
      runApiWorkers({ workers: config.ANALYTICS_API_WORKERS, logger, onListening: () => announce(urlOf(config)) });
    } else if (worker !== undefined) {
      await startAnalytics(apiWorkerConfig(config, worker));
      // Ctrl-C reaches the whole process group; a worker stops on its primary's SIGTERM only, so it is not asked twice.
      process.removeAllListeners('SIGINT');
      process.on('SIGINT', () => undefined);
    } else {
      announce((await startAnalytics(config)).url);
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}
