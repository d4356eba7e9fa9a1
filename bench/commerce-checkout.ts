/**
 * Shopper-loop benchmark on REAL PostgreSQL + Redis (or the embedded PGlite with
 * BENCH_ENGINE=pglite): the commerce app started here as BENCH_APPS child processes (default 1),
 * the embedded sandbox gateway, load generated on this machine over loopback. Each shopper lists
 * products, opens one, adds two items to a fresh guest cart, asks for shipping options, checks out
 * (202) and polls the order every BENCH_POLL_MS (default 100) until it is paid. Two phases:
 *
 * - closed loop: BENCH_CONCURRENCY shoppers (default 32) for BENCH_SECONDS (default 20), each
 *   starting over as soon as its order is paid;
 * - fixed rate: a new shopper every 1000/BENCH_RATE ms (default 100/s) for BENCH_RATE_SECONDS
 *   (default 15), whatever the server's answers (open model, no coordinated omission).
 *
 * BENCH_PHASES=closed or =rate runs one. Per phase it prints paid orders/s, the checkout request's
 * and the 202-to-paid (from the order's own timeline) p50/p99, and per paid order: CPU of the app
 * processes and of this database's PostgreSQL backends (from /proc, after the bus has drained, so
 * every delivery an order causes is included), and the SQL statements the apps sent (counted in
 * the app process, on node-postgres and on the embedded PGlite alike: BEGIN/COMMIT count; see
 * `lib/count-statements.ts`). BENCH_CPU_PROF=<dir> runs the apps with
 * `node --cpu-prof`; BENCH_STATEMENTS=1 lists the statements per paid order by text and the bus's delivery delays.
 * BENCH_READY_MS (default 120000) bounds each app's start: the embedded default seeds its demo
 * catalog into a fresh PGlite first, which takes minutes on a loaded machine.
 *
 *   npm run bench:checkout
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Histogram } from 'hdr-histogram-js';
import pg from 'pg';
import { busTimings, timingsBetween, type BusTiming } from './lib/bus-metrics.ts';
import { appsCpuMs, appsStatements, statementsBetween, startCommerceApps, stopCommerceApps } from './lib/commerce-apps.ts';
import { freshPostgresDatabase } from './lib/engines.ts';
import { MONITOR_APPLICATION, postgresCpuMeter } from './lib/proc-cpu.ts';
import { unlinkRedisKeys } from './lib/redis-cleanup.ts';
import { cartTokens, httpClient, shopOnce, stockListedProducts, type HttpClient, type ShopperOutcome } from './lib/shopper.ts';

const engine = process.env.BENCH_ENGINE === 'pglite' ? 'pglite' : 'postgres';
const appCount = engine === 'pglite' ? 1 : Number(process.env.BENCH_APPS ?? 1);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const rate = Number(process.env.BENCH_RATE ?? 100);
const rateSeconds = Number(process.env.BENCH_RATE_SECONDS ?? 15);
const pollMs = Number(process.env.BENCH_POLL_MS ?? 100);
const phases = (process.env.BENCH_PHASES ?? 'closed,rate').split(',');
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const monitorUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const admin = { email: 'bench-admin@bench.shop', password: randomBytes(18).toString('base64url') };
const metricsToken = randomBytes(18).toString('base64url');

const histogram = (): Histogram => build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
const record = (h: Histogram, ms: number) => h.recordValue(Math.max(1, Math.round(ms * 1000)));
const pct = (h: Histogram, p: number) => (h.totalCount === 0 ? NaN : Math.round(h.getValueAtPercentile(p) / 10) / 100);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

interface Phase {
  name: string;
  paid: number;
  seconds: number;
  checkout: Histogram;
  toPaid: Histogram;
  other: Record<string, number>;
  errors: number;
  polls: number;
  appCpu: number;
  pgCpu: number;
  pgBackground: number;
  statements: number;
  topStatements: Array<[string, number]>;
  generatorCpu: number;
  bus: BusTiming[];
}

const database = engine === 'postgres' ? await freshPostgresDatabase() : undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'bench-checkout-'));
const apps = await startCommerceApps({
  count: appCount,
  dataDir,
  cpuProfileDir: process.env.BENCH_CPU_PROF,
  env: {
    ...(database ? { DATABASE_URL: database.url } : {}),
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'warn',
    // The per-client limit runs (its cost is part of the figures) but one load generator never reaches it.
    RATE_LIMIT_MAX: process.env.BENCH_RATE_LIMIT_MAX ?? '1000000000',
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    COMMERCE_METRICS_TOKEN: metricsToken,
    DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '20',
  },
});
const clients: HttpClient[] = apps.map((a) => httpClient(a.base, Math.max(concurrency, 64)));
const dbName = database ? new URL(database.url).pathname.slice(1) : '';
const meter = database ? postgresCpuMeter(monitorUrl, dbName) : undefined;
const watcher = database ? new pg.Client({ connectionString: database.url, application_name: MONITOR_APPLICATION }) : undefined;

/** The admin's bearer header, once signed in: PGlite's deliveries are read through the admin API. */
let adminBearer: Record<string, string> = {};
/** Statements the drain's own reads cost on PGlite (they run in the app), taken off the phase's count. */
let drainStatements = 0;

/** Waits (at most 30 s) until no delivery is pending or running, so the work every order causes is measured. */
async function drained(): Promise<void> {
  if (!watcher) {
    // PGlite lives in the app process: ask the app, and count what asking costs.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const before = await appsStatements(apps, dataDir);
      const stats = await clients[0]!.call('GET', '/api/admin/events/stats', adminBearer);
      drainStatements += (await appsStatements(apps, dataDir)).total - before.total;
      const subscribers = (stats.body.subscribers ?? []) as Array<{ pending: number; processing: number }>;
      if (stats.status === 200 && subscribers.every((s) => s.pending + s.processing === 0)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    return;
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { rows } = await watcher.query<{ open: number }>(`select count(*)::int as open from events.deliveries where status in ('pending', 'processing')`);
    if (rows[0]!.open === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function measure(name: string, drive: (phase: Phase, note: (o: ShopperOutcome) => void) => Promise<void>): Promise<Phase> {
  const phase: Phase = { name, paid: 0, seconds: 0, checkout: histogram(), toPaid: histogram(), other: {}, errors: 0, polls: 0, appCpu: 0, pgCpu: 0, pgBackground: 0, statements: 0, topStatements: [], generatorCpu: 0, bus: [] };
  const note = (o: ShopperOutcome) => {
    record(phase.checkout, o.checkoutMs);
    phase.polls += o.polls;
    if (o.final === 'paid') {
      phase.paid++;
      if (o.toPaidMs !== undefined) record(phase.toPaid, o.toPaidMs);
    } else {
      const key = o.status === 202 ? String(o.final) : String(o.status);
      phase.other[key] = (phase.other[key] ?? 0) + 1;
    }
  };
  await drained();
  const bus0 = await busTimings(apps.map((a) => a.base), metricsToken);
  const statements0 = await appsStatements(apps, dataDir);
  const drain0 = drainStatements;
  await meter?.mark();
  const app0 = appsCpuMs(apps);
  const gen0 = process.cpuUsage();
  const started = performance.now();
  await drive(phase, note);
  phase.seconds = (performance.now() - started) / 1000;
  await drained();
  const gen = process.cpuUsage(gen0);
  phase.generatorCpu = (gen.user + gen.system) / 1000;
  phase.appCpu = appsCpuMs(apps) - app0;
  const pgCpu = await meter?.read();
  phase.pgCpu = pgCpu?.backends ?? 0;
  phase.pgBackground = pgCpu?.background ?? 0;
  const statements1 = await appsStatements(apps, dataDir);
  phase.statements = statements1.total - statements0.total - (drainStatements - drain0);
  phase.topStatements = statementsBetween(statements0, statements1);
  phase.bus = timingsBetween(bus0, await busTimings(apps.map((a) => a.base), metricsToken));
  return phase;
}

/**
 * What one order poll costs (app + PostgreSQL CPU, statements), measured on its own: polls per
 * order grow with 202-to-paid latency, which on a shared machine depends on the neighbours, so
 * the figures are also printed without them.
 */
async function pollCost(order: { orderId: string; orderToken: string }): Promise<{ cpuMs: number; statements: number }> {
  const reads = 400;
  await drained();
  const statements0 = await appsStatements(apps, dataDir);
  await meter?.mark();
  const app0 = appsCpuMs(apps);
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; i < reads; i += 8) await clients[0]!.call('GET', `/api/orders/${order.orderId}`, { 'x-order-token': order.orderToken });
    }),
  );
  const cpuMs = appsCpuMs(apps) - app0 + ((await meter?.read())?.backends ?? 0);
  const statements = (await appsStatements(apps, dataDir)).total - statements0.total;
  return { cpuMs: cpuMs / reads, statements: statements / reads };
}

const closedLoop = () =>
  measure(`closed loop, ${concurrency} shoppers, ${seconds} s`, async (phase, note) => {
    const deadline = performance.now() + seconds * 1000;
    let n = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        const http = clients[worker % clients.length]!;
        while (performance.now() < deadline) {
          try {
            note(await shopOnce(http, n++, pollMs));
          } catch {
            phase.errors++;
          }
        }
      }),
    );
  });

const fixedRate = () =>
  measure(`fixed rate, ${rate} shoppers/s for ${rateSeconds} s`, async (phase, note) => {
    const total = Math.round(rate * rateSeconds);
    const started = performance.now();
    const running: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      running.push(
        shopOnce(clients[i % clients.length]!, 1_000_000 + i, pollMs).then(note, () => {
          phase.errors++;
        }),
      );
    }
    await Promise.all(running);
  });

try {
  await meter?.start();
  await watcher?.connect();
  const http = clients[0]!;
  const login = await http.call('POST', '/api/auth/login', {}, admin);
  const bearer = { authorization: `Bearer ${String(login.body.token)}` };
  adminBearer = bearer;
  // The listed products' variants, stocked far beyond what a run can sell.
  await stockListedProducts(http, bearer);
  // A short warm-up so JIT compilation and pool connections are not billed to the first phase.
  const warm = await Promise.all(Array.from({ length: 8 }, (_, w) => shopOnce(clients[w % clients.length]!, 5_000_000 + w, pollMs)));
  const poll = await pollCost(warm[0]!.placed!);

  const results: Phase[] = [];
  if (phases.includes('closed')) results.push(await closedLoop());
  if (phases.includes('rate')) results.push(await fixedRate());

  console.log(
    `\n${new Date().toISOString()}  commerce shopper loop: ${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'} + Redis, ${appCount} app process(es), sandbox gateway, poll every ${pollMs} ms, load over loopback; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log(`one order poll alone: ${round(poll.cpuMs, 2)} ms CPU (app + PG), ${round(poll.statements, 2)} statements`);
  console.log('\n| phase | paid | paid orders/s | checkout p50 / p99 ms | 202→paid p50 / p99 ms | CPU ms per paid order: app + PG = total | without polls | PG shared bg | SQL statements per paid order | without polls | order polls per paid order | not paid / errors | generator CPU ms/order |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const per = (x: number) => (r.paid === 0 ? NaN : x / r.paid);
    const other = Object.entries(r.other).map(([k, v]) => `${k}:${v}`).join(' ') || '0';
    console.log(
      `| ${r.name} | ${r.paid} | ${round(r.paid / r.seconds)} | ${pct(r.checkout, 50)} / ${pct(r.checkout, 99)} | ${pct(r.toPaid, 50)} / ${pct(r.toPaid, 99)} | ${round(per(r.appCpu), 2)} + ${round(per(r.pgCpu), 2)} = ${round(per(r.appCpu + r.pgCpu), 2)} | ${round(per(r.appCpu + r.pgCpu - r.polls * poll.cpuMs), 2)} | ${round(per(r.pgBackground), 2)} | ${round(per(r.statements))} | ${round(per(r.statements - r.polls * poll.statements), 1)} | ${round(per(r.polls))} | ${other} / ${r.errors} | ${round(per(r.generatorCpu), 2)} |`,
    );
  }
  if (process.env.BENCH_STATEMENTS && watcher) {
    // The deliveries table is read from outside the app: PostgreSQL only (PGlite lives inside the app process).
    const { rows } = await watcher.query<{ subscriber: string; event_type: string; n: number; retried: number; p50: number; p99: number }>(
      `select subscriber, event_type, count(*)::int as n, count(*) filter (where attempts > 1)::int as retried,
              round(percentile_cont(0.5) within group (order by extract(epoch from done_at - o.recorded_at) * 1000))::int as p50,
              round(percentile_cont(0.99) within group (order by extract(epoch from done_at - o.recorded_at) * 1000))::int as p99
         from events.deliveries d join events.outbox o on o.id = d.event_id
        group by 1, 2 order by 1, 2`,
    );
    console.log('\ndeliveries (whole run): subscriber, event type, count, retried, commit-to-done p50 / p99 ms');
    for (const r of rows) console.log(`  ${r.subscriber.padEnd(14)} ${r.event_type.padEnd(36)} ${String(r.n).padStart(6)} ${String(r.retried).padStart(5)}  ${r.p50} / ${r.p99}`);
  }
  if (process.env.BENCH_STATEMENTS) {
    for (const r of results) {
      console.log(`\ndeliveries, ${r.name}: subscriber, event type, attempts, mean ms from the event to its handler starting, mean handler run ms`);
      for (const t of r.bus) {
        console.log(`  ${t.subscriber.padEnd(14)} ${t.eventType.padEnd(36)} ${String(t.attempts).padStart(6)}  ${round((t.lagSumS * 1000) / t.attempts)}  ${round((t.runSumS * 1000) / t.attempts)}`);
      }
      console.log(`\nstatements per paid order, ${r.name}:`);
      for (const [text, n] of r.topStatements.slice(0, 30)) console.log(`${String(round(n / r.paid, 2)).padStart(7)}  ${text}`);
    }
  }
} finally {
  await Promise.allSettled(clients.map((c) => c.close()));
  await stopCommerceApps(apps);
  await meter?.stop().catch(() => undefined);
  await watcher?.end().catch(() => undefined);
  await database?.drop();
  // Checkout clears its cart; a failed one leaves it: this run's carts are removed by exact key.
  await unlinkRedisKeys(redisUrl, cartTokens.map((t) => `commerce:cart:guest:${t}`)).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}
