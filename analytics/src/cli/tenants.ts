import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '@shop/platform';
import { loadAnalyticsConfig } from '../config.ts';
import { createTenantsApi, openTenantStore, tenantFilePath, type TenantError, type TenantsApi } from '../tenants/index.ts';
import { tenantStoreLocation } from './cli-support.ts';

const USAGE = `Usage: npx tsx analytics/src/cli/tenants.ts <command>

  create --id <slug> --name <name> --tz <IANA zone> [--quota <events/day>] [--rate <events/s>] [--max-age-days <days>]
  list
  keys create --tenant <id> --kind write|read [--label <text>]
  keys list --tenant <id>
  keys revoke --tenant <id> --key <key id>

Uses the same store as the server: REDIS_URL (keys under ANALYTICS_REDIS_PREFIX) if set, else DATA_DIR/analytics/tenants.json
(DATA_DIR defaults to ./data, as for the app and npm start). Every command but create refuses a missing file (exit 1).
--max-age-days: the oldest event the collector accepts for this tenant (default: ANALYTICS_MAX_EVENT_AGE_DAYS).`;

/** A failure the operator can fix; printed without a stack, exit code 1. */
class UsageError extends Error {}

const positive = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer`);
  return n;
};
const required = (value: string | undefined, flag: string): string => {
  if (!value) throw new UsageError(`${flag} is required\n\n${USAGE}`);
  return value;
};
const failed = (error: TenantError) => new UsageError(`${error.code}: ${error.message}`);

/** Runs one CLI command; returns what to print. Exported for tests. */
export async function runTenantsCommand(tenants: TenantsApi, argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      name: { type: 'string' },
      tz: { type: 'string' },
      quota: { type: 'string' },
      rate: { type: 'string' },
      'max-age-days': { type: 'string' },
      tenant: { type: 'string' },
      kind: { type: 'string' },
      label: { type: 'string' },
      key: { type: 'string' },
    },
  });
  const command = positionals.join(' ');
  switch (command) {
    case 'create': {
      const quota = positive(values.quota, '--quota');
      const rate = positive(values.rate, '--rate');
      const maxAge = positive(values['max-age-days'], '--max-age-days');
      const created = await tenants.createTenant({
        id: required(values.id, '--id'),
        name: values.name ?? required(values.id, '--id'),
        timeZone: required(values.tz, '--tz'),
        ...(quota ? { dailyQuota: quota } : {}),
        ...(rate ? { rateLimitPerSecond: rate } : {}),
        ...(maxAge ? { maxEventAgeDays: maxAge } : {}),
      });
      if (!created.ok) throw failed(created.error);
      const t = created.value;
      return `created tenant ${t.id} (${t.name}, ${t.timeZone}, quota ${t.dailyQuota}/day, ${t.rateLimitPerSecond} events/s)`;
    }
    case 'list': {
      const all = await tenants.listTenants();
      if (all.length === 0) return 'no tenants';
      return all.map((t) => `${t.id}\t${t.name}\t${t.timeZone}\tquota ${t.dailyQuota}/day\t${t.rateLimitPerSecond}/s\tcreated ${t.createdAt}`).join('\n');
    }
    case 'keys create': {
      const kind = required(values.kind, '--kind');
      if (kind !== 'write' && kind !== 'read') throw new UsageError('--kind must be write or read');
      const created = await tenants.createKey(required(values.tenant, '--tenant'), kind, values.label);
      if (!created.ok) throw failed(created.error);
      return [
        `created ${kind} key ${created.value.key.id} for tenant ${created.value.key.tenantId}`,
        `key: ${created.value.plainKey}`,
        'Store it now: only its hash is kept, it cannot be shown again.',
      ].join('\n');
    }
    case 'keys list': {
      const keys = await tenants.listKeys(required(values.tenant, '--tenant'));
      if (!keys.ok) throw failed(keys.error);
      if (keys.value.length === 0) return 'no keys';
      return keys.value
        .map((k) => `${k.id}\t${k.kind}\t${k.hint}\t${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}\t${k.label ?? ''}`)
        .join('\n');
    }
    case 'keys revoke': {
      const revoked = await tenants.revokeKey(required(values.tenant, '--tenant'), required(values.key, '--key'));
      if (!revoked.ok) throw failed(revoked.error);
      return `revoked key ${revoked.value.id} (${revoked.value.hint}) at ${revoked.value.revokedAt}`;
    }
    default:
      throw new UsageError(USAGE);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const config = loadAnalyticsConfig();
    // A read on a missing file would answer "no tenants" from the wrong DATA_DIR; only create starts a store.
    if (!config.REDIS_URL && process.argv[2] !== 'create' && !existsSync(tenantFilePath(config.DATA_DIR))) {
      throw new UsageError(`no tenant store at ${tenantStoreLocation(config)}: is DATA_DIR the analytics app's? (npm start keeps its data in ./data of the repository root)`);
    }
    const store = await openTenantStore({ redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, prefix: config.ANALYTICS_REDIS_PREFIX });
    const tenants = createTenantsApi({
      store,
      defaults: { dailyQuota: config.ANALYTICS_DEFAULT_DAILY_QUOTA, rateLimitPerSecond: config.ANALYTICS_DEFAULT_RATE_LIMIT },
      keyCacheTtlMs: 0,
    });
    try {
      console.log(await runTenantsCommand(tenants, process.argv.slice(2)));
    } finally {
      await store.close();
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(error.message);
      process.exit(error instanceof ConfigError ? 2 : 1);
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exit(1);
    }
    throw error;
  }
}
