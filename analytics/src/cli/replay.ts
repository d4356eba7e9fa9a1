import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { AnalyticsConfig } from '../config.ts';
import { exitCodeOf, loadConfigForCli, UsageError } from './cli-support.ts';
import { progressPrinter, TENANT_ID } from '../batch/index.ts';
import { replayBatchStep, replaySpeedStep, seconds, type ReplayOutput } from './replay-steps.ts';

const USAGE = `Usage: npm run replay -- <speed|batch|all> [--tenant <id>]... [--yes]

  speed   rebuilds the speed views (Redis) from the event log, leaving out erased people.
          Without --tenant: clears every speed view and replays the whole log; stop every live
          speed layer first (the analytics app, processes/speed.ts). Asks for confirmation (or --yes).
          With --tenant: rebuilds those tenants only; safe while the speed layer runs.
  batch   deletes the batch views, stats and watermark of each tenant (all tenants with raw data
          by default) and recomputes them from the raw store.
  all     speed, then batch.

Reads the app's environment (DATA_DIR, REDIS_URL, NATS_URL, KAFKA_BROKERS, S3_*, ...).
Exit codes: 0 done, 1 failed, 2 usage error or not confirmed.`;

/** What the command runs against; tests pass their own. */
export interface ReplayContext {
  env: NodeJS.ProcessEnv;
  now: () => number;
  /** Asks the operator a question; absent when stdin is not a terminal. */
  ask?: (question: string) => Promise<string>;
  out: ReplayOutput;
}

interface Command {
  layers: { speed: boolean; batch: boolean };
  tenants: string[];
  yes: boolean;
}

function parseCommand(argv: string[]): Command | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { tenant: { type: 'string', multiple: true }, yes: { type: 'boolean', short: 'y' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const [name, ...extra] = positionals;
  if (!name) throw new UsageError('No command: speed, batch or all');
  if (name !== 'speed' && name !== 'batch' && name !== 'all') throw new UsageError(`Unknown command: ${name}`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument: ${extra[0]}`);
  const tenants = [...new Set(values.tenant ?? [])];
  for (const t of tenants) if (!TENANT_ID.test(t)) throw new UsageError(`Not a tenant id: ${JSON.stringify(t)}`);
  return { layers: { speed: name !== 'batch', batch: name !== 'speed' }, tenants, yes: values.yes === true };
}

/** A full speed replay clears what a live speed layer writes to: the operator confirms that none runs. */
async function confirmFullReplay(config: AnalyticsConfig, command: Command, context: ReplayContext): Promise<void> {
  context.out.error(
    `A full speed replay deletes every speed view under Redis prefix "${config.ANALYTICS_REDIS_PREFIX}" and rebuilds them from the log.\n` +
      'Every live speed layer must be stopped first (the analytics app with ANALYTICS_SPEED_IN_PROCESS=true, every processes/speed.ts),\n' +
      'else it writes while the views are cleared. To rebuild tenants while the speed layer runs, use --tenant.',
  );
  if (command.yes) return;
  if (!context.ask) throw new UsageError('Not confirmed: pass --yes (stdin is not a terminal)');
  const answer = await context.ask('Are all speed layers stopped? Type "yes" to replay: ');
  if (answer.trim().toLowerCase() !== 'yes') throw new UsageError('Not confirmed: nothing done');
}

async function run(argv: string[], context: ReplayContext): Promise<number> {
  const command = parseCommand(argv);
  if (command === 'help') {
    context.out.log(USAGE);
    return 0;
  }
  const config = loadConfigForCli(context.env);
  if (command.layers.speed && !config.REDIS_URL) {
    throw new UsageError(
      "The speed views are not in Redis (REDIS_URL is not set): they live in the running analytics app's memory, and restarting the app rebuilds them from the log.",
    );
  }
  if (command.layers.speed && command.tenants.length === 0) await confirmFullReplay(config, command, context);
  const started = performance.now();
  if (command.layers.speed) await replaySpeedStep(config, command.tenants, context);
  if (command.layers.batch) await replayBatchStep(config, command.tenants, context);
  context.out.log(`done in ${seconds(performance.now() - started)}`);
  return 0;
}

/**
 * The replay CLI; returns the exit code and prints every failure as one line.
 *
 * @example
 * process.exitCode = await main(['speed', '--tenant', 'acme']);
 */
export async function main(argv: string[], context: Partial<ReplayContext> = {}): Promise<number> {
  const full: ReplayContext = { env: process.env, now: Date.now, out: consoleOutput, ...(process.stdin.isTTY ? { ask: askTerminal } : {}), ...context };
  return exitCodeOf('replay', () => run(argv, full), full.out.error);
}

const consoleOutput: ReplayOutput = { log: (line) => console.log(line), error: (line) => console.error(line), progress: progressPrinter(process.stderr) };

async function askTerminal(question: string): Promise<string> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await terminal.question(question);
  } finally {
    terminal.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Exit at once: a failed engine may leave a reconnecting client that would keep the process alive.
  process.exit(await main(process.argv.slice(2)));
}
