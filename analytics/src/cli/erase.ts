import { parseArgs } from 'node:util';
import { TENANT_ID } from '../batch/index.ts';
import { type ErasureRequest, erasedIdentities, listErasureRequests, readErasureRequest, recordErasure } from '../privacy/index.ts';
import { erasePerson } from '../erasure/index.ts';
import { rebuildTenantSpeed } from '../speed/index.ts';
import { openTenantStore } from '../tenants/index.ts';
import { exitCodeOf, loadConfigForCli, tenantStoreLocation, UsageError } from './cli-support.ts';
import { openObjectStore } from '../storage/index.ts';
import { openReaderLog, openSpeedViews } from './open-engines.ts';

const USAGE = `Usage:
  npm run erase -- --tenant <id> (--user <userId> | --anonymous <anonymousId>...) [--wait | --run-here]
  npm run erase -- list [--tenant <id>]

  Records a GDPR erasure request in the lake (digests of the ids, never the ids). From then on the
  archiver and the speed layer leave the person out; the analytics app's erasure runner (it runs with
  the batch schedule) removes them from the raw store, batch views and speed views, and marks it done.
  --wait       wait until the request is done, printing each step (at most --timeout seconds, default 600)
  --run-here   do the work in this process instead (when no app runs the erasure runner,
               ANALYTICS_BATCH_IN_PROCESS=false everywhere); never alongside a running runner.
               Rebuilds the speed views when they are in Redis (REDIS_URL); else the app's
               runner rebuilds them when it next sees the request.
  list         every request with its status and counts

Reads the app's environment (DATA_DIR, S3_*, REDIS_URL, NATS_URL, ...). Exit codes: 0 done, 1 failed, 2 usage error.`;

export interface EraseOutput {
  log(line: string): void;
  error(line: string): void;
}

export interface EraseContext {
  env: NodeJS.ProcessEnv;
  out: EraseOutput;
  /** How often --wait reads the request. */
  pollMs: number;
}

type Command =
  | { kind: 'help' }
  | { kind: 'list'; tenant?: string }
  | { kind: 'erase'; tenant: string; userId?: string; anonymousIds: string[]; wait: boolean; timeoutMs: number; runHere: boolean };

function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        user: { type: 'string' },
        anonymous: { type: 'string', multiple: true },
        wait: { type: 'boolean' },
        timeout: { type: 'string' },
        'run-here': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  const tenant = values.tenant;
  if (tenant !== undefined && !TENANT_ID.test(tenant)) throw new UsageError(`Not a tenant id: ${JSON.stringify(tenant)}`);
  const [name, ...extra] = positionals;
  if (extra.length > 0 || (name !== undefined && name !== 'list')) throw new UsageError(`Unexpected argument: ${name === 'list' ? extra[0] : name}`);
  if (name === 'list') return { kind: 'list', ...(tenant ? { tenant } : {}) };
  if (!tenant) throw new UsageError('--tenant is required');
  const anonymousIds = values.anonymous ?? [];
  if (!values.user && anonymousIds.length === 0) throw new UsageError('Name the person: --user, --anonymous, or both');
  for (const id of [values.user, ...anonymousIds]) if (id !== undefined && (id === '' || id.length > 200)) throw new UsageError('Ids must be 1-200 characters');
  if (values.wait && values['run-here']) throw new UsageError('--wait and --run-here exclude each other (--run-here waits by itself)');
  const timeout = Number(values.timeout ?? 600);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError('--timeout must be a whole number of seconds > 0');
  return {
    kind: 'erase',
    tenant,
    ...(values.user ? { userId: values.user } : {}),
    anonymousIds,
    wait: values.wait === true,
    timeoutMs: timeout * 1000,
    runHere: values['run-here'] === true,
  };
}

const describe = (r: ErasureRequest): string => {
  const counts = r.counts ? ` ${r.counts.linesRemoved} events removed from ${r.counts.objectsRewritten} raw objects, ${r.counts.datesRecomputed} days recomputed` : '';
  const speed = r.status === 'done' ? (r.speedRebuiltAt ? '' : ' (speed views: pending the app runner)') : '';
  return `${r.id} ${r.tenantId} ${r.status} requested ${r.requestedAt}${counts}${speed}`;
};

async function run(argv: string[], context: EraseContext): Promise<number> {
  const command = parseCommand(argv);
  if (command.kind === 'help') {
    context.out.log(USAGE);
    return 0;
  }
  const config = loadConfigForCli(context.env);
  const lake = await openObjectStore(config);
  try {
    if (command.kind === 'list') {
      const requests = await listErasureRequests(lake, command.tenant);
      for (const r of requests) context.out.log(describe(r));
      if (requests.length === 0) context.out.log('no erasure requests');
      return 0;
    }
    const tenants = await openTenantStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, prefix: config.ANALYTICS_REDIS_PREFIX });
    const known = await tenants.getTenant(command.tenant).finally(() => tenants.close());
    if (!known) throw new UsageError(`No tenant ${command.tenant} in ${tenantStoreLocation(config)} (npm run tenants -- list)`);
    const ids = { userIds: command.userId ? [command.userId] : [], anonymousIds: command.anonymousIds };
    if (command.runHere) {
      // Redis first: if it is unreachable, no log connection is left open.
      const views = config.REDIS_URL ? await openSpeedViews(config) : null;
      const speed = views ? { store: views, log: await openReaderLog(config).catch(async (error: unknown) => { await views.close(); throw error; }) } : null;
      try {
        const { request, alreadyDone } = await erasePerson({
          store: lake,
          tenantId: command.tenant,
          ...(command.userId ? { userId: command.userId } : {}),
          anonymousIds: command.anonymousIds,
          graceMs: config.ANALYTICS_BATCH_GRACE_MS,
          ...(speed ? { rebuildSpeed: (tenantId, matcher) => rebuildTenantSpeed({ ...speed, tenantId, exclude: matcher.isErased }) } : {}),
          onStep: (step) => context.out.log(`${step}`),
        });
        context.out.log(alreadyDone ? `already done: ${describe(request)}` : describe(request));
      } finally {
        await speed?.store.close();
        await speed?.log.close();
      }
      return 0;
    }
    const request = await recordErasure(lake, command.tenant, erasedIdentities(command.tenant, ids));
    context.out.log(`recorded: ${describe(request)}`);
    if (!command.wait) {
      if (request.status === 'pending') context.out.log('the analytics app completes it; check with: npm run erase -- list');
      return 0;
    }
    let seen = '';
    const deadline = Date.now() + command.timeoutMs;
    for (let read: ErasureRequest | null = request; ; ) {
      if (!read) throw new Error(`erasure request ${request.id} disappeared from the lake`);
      const current = read;
      const steps = (['expandedAt', 'rewrittenAt', 'recomputedAt', 'speedRebuiltAt'] as const).filter((s) => current[s]).join(', ');
      if (steps !== seen) context.out.log(`steps done: ${(seen = steps) || 'none'}`);
      if (current.status === 'done') {
        context.out.log(describe(current));
        return 0;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `not done after ${command.timeoutMs / 1000} s: is an analytics app with its erasure runner running (ANALYTICS_BATCH_IN_PROCESS=true)? ` +
            'The request stays recorded; wait again, or use --run-here',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, context.pollMs));
      read = await readErasureRequest(lake, command.tenant, request.id);
    }
  } finally {
    await lake.close();
  }
}

/**
 * The erasure CLI; returns the exit code and prints every failure as one line.
 *
 * @example
 * process.exitCode = await main(['--tenant', 'acme', '--user', 'u-42', '--wait']);
 */
export async function main(argv: string[], context: Partial<EraseContext> = {}): Promise<number> {
  const full: EraseContext = { env: process.env, out: { log: (l) => console.log(l), error: (l) => console.error(l) }, pollMs: 1000, ...context };
  return exitCodeOf('erase', () => run(argv, full), full.out.error);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(await main(process.argv.slice(2)));
}
