import { parseArgs } from 'node:util';
import { createLocalLake } from './lake.ts';
import { progressPrinter } from './progress-bar.ts';
import { DEFAULT_RECHECK_DAYS } from './raw-manifest.ts';
import { DEFAULT_GRACE_MS, discoverTenants, runBatch } from './run-batch.ts';

const USAGE = `Usage:
  tsx analytics/src/batch/cli.ts run [--tenant <id>]... [--lake <dir>] [--grace-minutes <n>] [--recheck-days <n>]
  tsx analytics/src/batch/cli.ts backfill --tenant <id> --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--lake <dir>]

  run       computes every closed UTC day after each tenant's watermark (all tenants with raw data by default)
            and recomputes the days before it whose raw objects changed since their view (late events)
  backfill  recomputes the given days (inclusive) and advances the watermark only over contiguous days
  --lake    the lake directory (default: $ANALYTICS_LAKE_DIR, else $DATA_DIR/analytics/lake)
  --recheck-days  days before the watermark that run checks for changed raw objects (default ${DEFAULT_RECHECK_DAYS})`;

/** The batch CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
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
  const lakeDir = values.lake ?? process.env.ANALYTICS_LAKE_DIR ?? `${process.env.DATA_DIR ?? './data'}/analytics/lake`;
  const graceMs = values['grace-minutes'] === undefined ? DEFAULT_GRACE_MS : Number(values['grace-minutes']) * 60_000;
  if (!Number.isFinite(graceMs) || graceMs < 0) return fail('--grace-minutes must be a number >= 0');
  const recheckDays = values['recheck-days'] === undefined ? DEFAULT_RECHECK_DAYS : Number(values['recheck-days']);
  if (!Number.isInteger(recheckDays) || recheckDays < 0) return fail('--recheck-days must be an integer >= 0');
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  const lake = createLocalLake(lakeDir);

  let options: Parameters<typeof runBatch>[0];
  if (command === 'run') {
    const tenants = values.tenant ?? (await discoverTenants(lake));
    options = { lake, tenants, now: Date.now(), graceMs, threads, recheckDays };
  } else if (command === 'backfill') {
    if (!values.tenant?.length || !values.from || !values.to) return fail('backfill needs --tenant, --from and --to');
    options = { lake, tenants: values.tenant, now: Date.now(), from: values.from, to: values.to, graceMs, threads };
  } else {
    return fail(command ? `Unknown command: ${command}` : 'No command');
  }

  const printer = progressPrinter();
  const result = await runBatch({ ...options, onProgress: printer.update });
  printer.done();
  for (const s of result.skippedOpen) console.error(`skipped ${s.tenantId} ${s.date}: the period is not closed yet`);
  for (const r of result.rechecked) console.error(`recomputed ${r.tenantId} ${r.date}: its raw objects changed since its view`);
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
