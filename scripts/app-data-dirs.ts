/**
 * Where `npm start` keeps each app's files under its data directory. Commerce writes straight
 * into its DATA_DIR, so it gets a folder of its own; analytics already keeps everything under
 * `DATA_DIR/analytics/` (events, lake, tenants.json), so it gets the data directory itself. Its
 * files then sit where every analytics CLI looks by default (DATA_DIR=./data from the repository
 * root): `./data/analytics/lake`, `./data/analytics/tenants.json`.
 */
import { existsSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

export function appDataDir(dataDir: string, app: 'analytics' | 'commerce' | 'storefront' | 'backoffice'): string {
  return app === 'analytics' ? dataDir : join(dataDir, app);
}

/**
 * Moves the analytics files of a demo started when the app's DATA_DIR was `<data>/analytics`
 * (files in `<data>/analytics/analytics/`) to where the app and the CLIs now read them. An entry
 * already present at the new place is left where it was and named in the result.
 */
export function moveNestedAnalyticsData(dataDir: string): { moved: string[]; leftBehind: string[] } {
  const nested = join(dataDir, 'analytics', 'analytics');
  const target = join(dataDir, 'analytics');
  const result = { moved: [] as string[], leftBehind: [] as string[] };
  if (!existsSync(nested)) return result;
  for (const entry of readdirSync(nested).sort()) {
    if (existsSync(join(target, entry))) result.leftBehind.push(join(nested, entry));
    else {
      renameSync(join(nested, entry), join(target, entry));
      result.moved.push(join(target, entry));
    }
  }
  if (result.leftBehind.length === 0) rmdirSync(nested);
  return result;
}
