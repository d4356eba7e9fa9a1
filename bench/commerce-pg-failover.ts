/**
 * Commerce checkout throughput on a PostgreSQL primary with a streaming standby, both started
 * here (initdb + pg_basebackup -R on free ports; the machine's own PostgreSQL is not touched), one
 * commerce app process on Redis with DATABASE_URL listing both hosts (`target_session_attrs=read-write`)
 * and, unless BENCH_READS=primary, shoppers' catalog reads on the standby (DATABASE_READ_URL).
 *
 * Closed-loop phases of BENCH_CONCURRENCY shoppers (default 16) for BENCH_SECONDS (default 10),
 * alternating BENCH_ROUNDS times (default 2) between an asynchronous standby (commits do not
 * wait for it) and a synchronous one (`synchronous_standby_names`: each commit waits for the
 * standby's flush), so the two are compared within one run on the same load. Then a failover at
 * a fixed rate (BENCH_RATE shoppers/s, default 20, for 10 s): the primary is stopped
 * (`pg_ctl stop -m immediate`) after 3 s and the standby promoted 0.5 s later; it prints how long
 * no checkout was acknowledged and how many requests answered 503.
 *
 *   npm run bench:pg-failover
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Histogram } from 'hdr-histogram-js';
import pg from 'pg';
import { postgresBinaries, startPostgresStandbyPair } from '@shop/platform/testing';
import { startCommerceApps, stopCommerceApps } from './lib/commerce-apps.ts';
import { unlinkRedisKeys } from './lib/redis-cleanup.ts';
import { cartTokens, httpClient, shopOnce, stockListedProducts, type ShopperOutcome } from './lib/shopper.ts';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const rate = Number(process.env.BENCH_RATE ?? 20);
const pollMs = 100;
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const readsOnStandby = process.env.BENCH_READS !== 'primary';
const admin = { email: 'bench-admin@bench.shop', password: randomBytes(18).toString('base64url') };

const histogram = (): Histogram => build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
const pct = (h: Histogram, p: number) => (h.totalCount === 0 ? NaN : Math.round(h.getValueAtPercentile(p) / 10) / 100);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const binaries = postgresBinaries();
if (!binaries.available) throw new Error('initdb, pg_ctl, pg_basebackup and postgres are needed (PG_BIN=<their directory>)');
const pair = await startPostgresStandbyPair({ synchronous: false, bin: binaries.bin });
const dataDir = mkdtempSync(join(tmpdir(), 'bench-pg-failover-'));
const primary = new pg.Client({ connectionString: pair.primary.url });
// This connection goes down with the primary at the failover: not a crash of the benchmark.
primary.on('error', () => undefined);
await primary.connect();
await primary.query('create database shop');

const apps = await startCommerceApps({
  count: 1,
  dataDir,
  env: {
    DATABASE_URL: pair.url('shop', 'read-write'),
    ...(readsOnStandby ? { DATABASE_READ_URL: pair.url('shop', 'prefer-standby') } : {}),
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '1000000000',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    DATABASE_POOL_SIZE: '20',
    EVENTS_LEASE_MS: '5000',
  },
});
const http = httpClient(apps[0]!.base, 64);

async function synchronous(on: boolean): Promise<void> {
  await primary.query(`alter system set synchronous_standby_names = '${on ? 'standby1' : ''}'`);
  await primary.query('select pg_reload_conf()');
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    const { rows } = await primary.query<{ sync_state: string }>(`select sync_state from pg_stat_replication where application_name = 'standby1'`);
    if (rows[0]?.sync_state === (on ? 'sync' : 'async')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`standby did not become ${on ? 'sync' : 'async'}`);
}

interface Phase {
  name: string;
  paid: number;
  seconds: number;
  checkout: Histogram;
  unavailable: number;
  errors: number;
}

async function closedLoop(name: string): Promise<Phase> {
  const phase: Phase = { name, paid: 0, seconds, checkout: histogram(), unavailable: 0, errors: 0 };
  const deadline = performance.now() + seconds * 1000;
  let n = phaseBase;
  phaseBase += 1_000_000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          note(phase, await shopOnce(http, n++, pollMs));
        } catch {
          phase.errors++;
        }
      }
    }),
  );
  phase.seconds = (performance.now() - started) / 1000;
  return phase;
}
let phaseBase = 0;

function note(phase: Phase, o: ShopperOutcome): void {
  phase.checkout.recordValue(Math.max(1, Math.round(o.checkoutMs * 1000)));
  if (o.final === 'paid') phase.paid++;
  else if (o.status === 503) phase.unavailable++;
  else phase.errors++;
}

/**
 * Shoppers at a fixed rate through stop -m immediate and promote. The outage shoppers saw is the
 * longest run of consecutive arrivals whose checkout was not acknowledged (a 503, or a failed
 * earlier step), times the arrival interval; requests that waited for the promotion and then
 * succeeded show in the checkout latency instead.
 */
async function failover(): Promise<{ phase: Phase; outageMs: number; promoteMs: number; slowestMs: number }> {
  const phase: Phase = { name: `failover at ${rate} shoppers/s`, paid: 0, seconds: 10, checkout: histogram(), unavailable: 0, errors: 0 };
  const total = rate * 10;
  const acknowledged = new Array<boolean>(total).fill(false);
  const running: Promise<void>[] = [];
  const started = performance.now();
  let promoteMs = 0;
  const outage = (async () => {
    await new Promise((r) => setTimeout(r, 3_000));
    const t0 = performance.now();
    await pair.stopPrimary('immediate');
    await new Promise((r) => setTimeout(r, 500));
    await pair.promoteStandby();
    promoteMs = performance.now() - t0;
  })();
  for (let i = 0; i < total; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    running.push(
      shopOnce(http, 50_000_000 + i, pollMs).then(
        (o) => {
          acknowledged[i] = o.status === 202;
          note(phase, o);
        },
        () => void phase.errors++,
      ),
    );
  }
  await outage;
  await Promise.all(running);
  phase.seconds = (performance.now() - started) / 1000;
  let longest = 0;
  for (let i = 0, run = 0; i < total; i++) {
    run = acknowledged[i] ? 0 : run + 1;
    longest = Math.max(longest, run);
  }
  return { phase, outageMs: (longest * 1000) / rate, promoteMs, slowestMs: phase.checkout.maxValue / 1000 };
}

try {
  const login = await http.call('POST', '/api/auth/login', {}, admin);
  const bearer = { authorization: `Bearer ${String(login.body.token)}` };
  await stockListedProducts(http, bearer);
  await Promise.all(Array.from({ length: 8 }, (_, w) => shopOnce(http, 90_000_000 + w, pollMs)));

  const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
  const results: Array<Phase & { load: string }> = [];
  for (let r = 0; r < rounds; r++) {
    for (const sync of [false, true]) {
      await synchronous(sync);
      const phase = await closedLoop(sync ? 'synchronous standby' : 'asynchronous standby');
      results.push({ ...phase, load: load() });
    }
  }
  await synchronous(true);
  const outage = await failover();

  console.log(
    `\n${new Date().toISOString()}  commerce checkout on a PostgreSQL primary + streaming standby (both local), 1 app process, Redis, sandbox gateway, ${concurrency} shoppers closed loop, shopper catalog reads on ${readsOnStandby ? 'the standby' : 'the primary'}`,
  );
  console.log('\n| phase | paid orders | paid orders/s | checkout p50 / p99 ms | 503 / errors | load average (1/5/15 min) |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.paid} | ${round(r.paid / r.seconds)} | ${pct(r.checkout, 50)} / ${pct(r.checkout, 99)} | ${r.unavailable} / ${r.errors} | ${r.load} |`);
  }
  const mean = (sync: boolean) => {
    const of = results.filter((r) => r.name.startsWith(sync ? 'sync' : 'async'));
    return of.reduce((s, r) => s + r.paid / r.seconds, 0) / of.length;
  };
  console.log(`\nsynchronous / asynchronous paid orders/s: ${round(mean(true) / mean(false), 2)}`);
  const f = outage.phase;
  console.log(
    `failover: ${f.paid} paid, ${f.unavailable} answered 503, ${f.errors} errors; stop + promote took ${Math.round(outage.promoteMs)} ms; longest run of arrivals without an acknowledged checkout ${Math.round(outage.outageMs)} ms; checkout p50 / p99 / max ${pct(f.checkout, 50)} / ${pct(f.checkout, 99)} / ${Math.round(outage.slowestMs)} ms; load ${load()}`,
  );
} finally {
  await http.close().catch(() => undefined);
  await stopCommerceApps(apps);
  await primary.end().catch(() => undefined);
  await pair.remove();
  await unlinkRedisKeys(redisUrl, cartTokens.map((t) => `commerce:cart:guest:${t}`)).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}
