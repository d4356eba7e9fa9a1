import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, env as envField, parseEnv } from '@shop/platform';
import { checkObjectStoreConfig, lakeLocation, localObjectStore, objectStoreEnv, openObjectStore } from '../storage/index.ts';
import { noRawEvents } from './cli-support.ts';
import { openGoalStore, type GoalStore } from '../goals/index.ts';
import { DEFAULT_GRACE_MS, DEFAULT_RECHECK_DAYS, discoverTenants, type LakeStore, progressPrinter, runBatch } from '../batch/index.ts';

const USAGE = `Usage:
  tsx analytics/src/cli/batch.ts run [--tenant <id>]... [--lake <dir>] [--grace-minutes <n>] [--recheck-days <n>]
  tsx analytics/src/cli/batch.ts backfill --tenant <id> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--lake <dir>]

  run       computes every closed UTC day after each tenant's watermark (all tenants with raw data by default)
            and recomputes the days before it whose raw objects changed since their view (late events)
  backfill  recomputes the given days (inclusive) and advances the watermark only over contiguous days
  --lake    a lake directory (default: $ANALYTICS_LAKE_DIR, else the app's lake: the S3_BUCKET when set,
            else $DATA_DIR/analytics/lake, DATA_DIR defaulting to ./data as for the app and npm start)
  Exit codes: 0 done, 1 failed (run: no raw events in the lake), 2 usage error
  --grace-minutes  default: $ANALYTICS_BATCH_GRACE_MS, else 5 minutes (must be the schedule's)
  --recheck-days  days before the watermark that run checks for changed raw objects (default ${DEFAULT_RECHECK_DAYS})
  Goal metrics count each tenant's goals from the app's goal store: Redis at $REDIS_URL (keys under
  $ANALYTICS_REDIS_PREFIX) when set, else $DATA_DIR/analytics/goals.json. A run that finds a tenant's goals
  changed since its views recomputes every day holding a view.`;

/** Parsed as the app parses it (analytics/src/config.ts): the CLI must close days when the schedule does. */
const graceEnv = z.object({ ANALYTICS_BATCH_GRACE_MS: envField.positiveInt(DEFAULT_GRACE_MS) });

/** Where the app keeps goals (analytics/src/config.ts): the batch counts the goals the API defined. */
const goalsEnv = z.object({
  DATA_DIR: objectStoreEnv.DATA_DIR,
  REDIS_URL: envField.redisUrl().optional(),
  ANALYTICS_REDIS_PREFIX: z.string().default('analytics:'),
});

type CliLake = LakeStore & { close?: () => Promise<void>; location: string };

/** The lake the analytics app writes, from the same variables (an explicit directory wins). */
async function openLake(dir: string | undefined, env: NodeJS.ProcessEnv): Promise<CliLake> {
  if (dir) return Object.assign(localObjectStore(dir), { location: dir });
  const config = parseEnv(z.object(objectStoreEnv), env);
  checkObjectStoreConfig(config);
  return Object.assign(await openObjectStore(config), { location: lakeLocation(config) });
}

/** The batch CLI; returns the exit code. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      tenant: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      lake: { type: 'string' },
      'grace-minutes': { type: 'string' },
      'recheck-days': { type: 'string' },
      threads: { type: 'string' },
    },
  });
  let envGrace: number;
  let goalSettings: z.output<typeof goalsEnv>;
  try {
    envGrace = parseEnv(graceEnv, env).ANALYTICS_BATCH_GRACE_MS;
    goalSettings = parseEnv(goalsEnv, env);
  } catch (error) {
    if (error instanceof ConfigError) return fail(`Invalid configuration: ${error.problems.join('; ')}`);
    throw error;
  }
  const graceMs = values['grace-minutes'] === undefined ? envGrace : Number(values['grace-minutes']) * 60_000;
  if (!Number.isFinite(graceMs) || graceMs < 0) return fail('--grace-minutes must be a number >= 0');
  const recheckDays = values['recheck-days'] === undefined ? DEFAULT_RECHECK_DAYS : Number(values['recheck-days']);
  if (!Number.isInteger(recheckDays) || recheckDays < 0) return fail('--recheck-days must be an integer >= 0');
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (command !== 'run' && command !== 'backfill') return fail(command ? `Unknown command: ${command}` : 'No command');
  if (command === 'backfill' && (!values.tenant?.length || !values.from || !values.to)) return fail('backfill needs --tenant, --from and --to');
  const lake = await openLake(values.lake ?? env.ANALYTICS_LAKE_DIR, env);
  const goals = openGoalStore({ redisUrl: goalSettings.REDIS_URL, dataDir: goalSettings.DATA_DIR, prefix: goalSettings.ANALYTICS_REDIS_PREFIX });
  try {
    return await runCommand(command, values, lake, { graceMs, recheckDays, threads, goals });
  } finally {
    await goals.close();
    await lake.close?.();
  }
}

async function runCommand(
  command: 'run' | 'backfill',
  values: { tenant?: string[]; from?: string; to?: string },
  lake: CliLake,
  settings: { graceMs: number; recheckDays: number; threads: number | undefined; goals: GoalStore },
): Promise<number> {
  const { graceMs, recheckDays, threads } = settings;
  const goals = (tenantId: string) => settings.goals.list(tenantId);

  let options: Parameters<typeof runBatch>[0];
  if (command === 'run') {
    const tenants = values.tenant ?? (await discoverTenants(lake));
    if (tenants.length === 0) {
      console.error(noRawEvents(lake.location));
      return 1;
    }
    options = { lake, tenants, now: Date.now(), graceMs, threads, recheckDays, goals };
  } else {
    options = { lake, tenants: values.tenant ?? [], now: Date.now(), from: values.from, to: values.to, graceMs, threads, goals };
  }

  const printer = progressPrinter();
  const result = await runBatch({ ...options, onProgress: printer.update });
  printer.done();
  for (const s of result.skippedOpen) console.error(`skipped ${s.tenantId} ${s.date}: the period is not closed yet`);
  for (const r of result.rechecked) console.error(`recomputed ${r.tenantId} ${r.date}: its raw objects changed since its view`);
  if (result.regoaled.length) console.error(`recomputed ${result.regoaled.length} days: the tenants' goals changed since their views`);
  const watermarks = Object.entries(result.watermarks).map(([t, b]) => `${t}=${b === null ? 'none' : new Date(b).toISOString()}`);
  const rate = result.elapsedMs > 0 ? Math.round((result.rawEvents / result.elapsedMs) * 1000) : 0;
  console.log(`${result.periods.length} periods, ${result.rawEvents} raw events in ${(result.elapsedMs / 1000).toFixed(1)} s (${rate} ev/s); watermarks ${watermarks.join(' ') || 'none'}`);
  return 0;
}

function fail(message: string): number {
  console.error(`${message}\n\n${USAGE}`);
  return 2;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
