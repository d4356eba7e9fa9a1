import { ConfigError } from '@shop/platform';
import { loadAnalyticsConfig, type AnalyticsConfig } from '../config.ts';
import { tenantFilePath } from '../tenants/index.ts';

/** A command the operator must fix: exit code 2, nothing done. */
export class UsageError extends Error {}

/** The app's configuration, a bad variable being the operator's to fix (exit 2), not a crash. */
export function loadConfigForCli(env: NodeJS.ProcessEnv): AnalyticsConfig {
  try {
    return loadAnalyticsConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`Invalid configuration: ${error.problems.join('; ')}`);
    throw error;
  }
}

/**
 * Runs a CLI command and turns every failure into an exit code and one line: 2 with a pointer to
 * `--help` for a usage error, 1 with the message (no stack: the operator's next step is in it).
 */
export async function exitCodeOf(command: string, run: () => Promise<number>, error: (line: string) => void): Promise<number> {
  try {
    return await run();
  } catch (failure) {
    if (failure instanceof UsageError) {
      error(`${failure.message}\n(npm run ${command} -- --help for usage)`);
      return 2;
    }
    const message = failure instanceof Error ? failure.message : String(failure);
    error(`${command} failed: ${message.replace(/\s*\n\s*/g, ' ')}`);
    return 1;
  }
}

/**
 * Says where a command looked when it found no raw event there: the usual cause is a DATA_DIR
 * other than the app's (both default to ./data, read from the directory the command runs in).
 */
export const noRawEvents = (where: string): string =>
  `no raw events in the lake at ${where}: is DATA_DIR the analytics app's? (npm start keeps its data in ./data of the repository root; set DATA_DIR, or run from there)`;

/** Where the tenant store the app uses lives, for messages: Redis keys, or the JSON file under DATA_DIR. */
export const tenantStoreLocation = (config: Pick<AnalyticsConfig, 'REDIS_URL' | 'DATA_DIR' | 'ANALYTICS_REDIS_PREFIX'>): string =>
  config.REDIS_URL ? `Redis (keys under ${config.ANALYTICS_REDIS_PREFIX})` : tenantFilePath(config.DATA_DIR);
