/**
 * Batch-layer benchmark: raw NDJSON in the archiver's layout → DuckDB → Parquet views.
 *
 *   npx tsx bench/analytics-batch.ts
 *
 * 1. Generates BENCH_EVENTS raw events (default 2,000,000; 1 % re-appended as log duplicates)
 *    for BENCH_TENANTS tenants (default 4) over one UTC day, one file per tenant-hour.
 * 2. (a) the batch job over those tenant-days (read, dedup, every declared metric, Parquet): the
 *    first run (compacting the NDJSON into the columnar copy), then re-runs from the copy; with
 *    BENCH_BASE_ROOT=<a checkout of other code> that code's runs alternate with these (its first
 *    run first, the copies dropped before this code's first run). Each line prints raw events/s,
 *    CPU per raw event and its time over DuckDB's plain scan (d) and plain read (e) of the copies;
 *    (b) DuckDB's plain scan of the same files: count(*) and count(DISTINCT messageId) with the
 *    job's explicit schema (projection pushdown: only messageId is converted), and with messageId
 *    alone; (c) the job's read alone: every column it reads, into a temp table, nothing derived.
 * 3. `BatchViewStore.read` latency for a 30-day daily series (2,880 quarter-hour buckets,
 *    Europe/Berlin local days) over 30 daily views, BENCH_READS times (default 100).
 *    (d), (e) the plain scan and the job's read of the columnar copy.
 * Prints a markdown table.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBatchViewStore, runBatch } from '../analytics/src/batch/index.ts';
import { openDuckDb } from '../analytics/src/batch/duckdb-engine.ts';
import { eventColumns, lit } from '../analytics/src/batch/metric-sql.ts';
import { METRICS } from '../analytics/src/contracts/metrics.ts';
import { seriesBuckets } from '../analytics/src/serving/series-buckets.ts';
import { generateEvents } from '../analytics/test/batch/batch.fixture.ts';
import { processCpuMs } from './lib/proc-cpu.ts';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 2_000_000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 4);
const READS = Number(process.env.BENCH_READS ?? 100);
const DAY = '2026-03-10';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const start = Date.parse(`${DAY}T00:00:00Z`);

const root = await mkdtemp(join(tmpdir(), 'bench-batch-'));
const lake = join(root, 'lake');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

try {
  // ── 1. raw events ──
  const t0 = performance.now();
  const files: string[] = [];
  let lines = 0;
  let bytes = 0;
  const perHour = Math.ceil(TOTAL / TENANTS / 24);
  for (let tenant = 0; tenant < TENANTS; tenant++) {
    for (let hour = 0; hour < 24; hour++) {
      const from = new Date(start + hour * HOUR_MS).toISOString();
      const to = new Date(start + (hour + 1) * HOUR_MS).toISOString();
      const events = generateEvents(`bench${tenant}`, perHour, from, to, tenant * 100 + hour, 0);
      const text: string[] = [];
      events.forEach((e, i) => {
        const line = JSON.stringify(e);
        text.push(line);
        if (i % 100 === 0) text.push(line);
      });
      const dir = join(lake, `raw/tenant=bench${tenant}/date=${DAY}/hour=${String(hour).padStart(2, '0')}`);
      await mkdir(dir, { recursive: true });
      const file = join(dir, `p${tenant}-${String(lines).padStart(12, '0')}-${String(lines + text.length).padStart(12, '0')}.ndjson`);
      const body = text.join('\n') + '\n';
      await writeFile(file, body);
      files.push(file);
      lines += text.length;
      bytes += Buffer.byteLength(body);
    }
  }
  const generateMs = performance.now() - t0;
  console.error(`generated ${fmt(lines)} raw lines (${(bytes / 1e6).toFixed(0)} MB, ${files.length} files) in ${(generateMs / 1000).toFixed(1)} s`);

  // ── 2a. the batch job: the code before the columnar copy (BENCH_BASE_ROOT), the first run (compaction + views), re-runs from the copy ──
  const tenants = Array.from({ length: TENANTS }, (_, i) => `bench${i}`);
  const base = process.env.BENCH_BASE_ROOT ? ((await import(join(process.env.BENCH_BASE_ROOT, 'analytics/src/batch/index.ts'))) as { runBatch: typeof runBatch }) : null;
  const timed = async (label: string, batch: typeof runBatch) => {
    const cpu0 = processCpuMs(process.pid) ?? 0;
    const s0 = performance.now();
    const out = await batch({ lake, tenants, now: start + DAY_MS + HOUR_MS, from: DAY, to: DAY });
    const ms = performance.now() - s0;
    const cpu = (processCpuMs(process.pid) ?? 0) - cpu0;
    console.error(`${label}: ${out.periods.length} tenant-days in ${(ms / 1000).toFixed(2)} s`);
    return { label, ms, cpu, result: out };
  };
  const runs: Array<Awaited<ReturnType<typeof timed>>> = [];
  const dropCopies = () => rm(join(lake, 'columnar'), { recursive: true, force: true });
  // The first run of each compacts the NDJSON into the columnar copy; re-runs read the copy. Before and after alternate.
  if (base) {
    runs.push(await timed('before, first run: NDJSON → copy → views', base.runBatch));
    await dropCopies();
  }
  runs.push(await timed('after, first run: NDJSON → copy → views', runBatch));
  for (let i = 0; i < 2; i++) {
    if (base) runs.push(await timed('before, re-run: copy → views', base.runBatch));
    runs.push(await timed('after, re-run: copy → views', runBatch));
  }
  const result = runs.at(-1)!.result;
  const jobMs = runs.at(-1)!.ms;
  const cells = result.periods.reduce((n, p) => n + p.cells, 0);
  const copies = tenants.map((t) => join(lake, `columnar/tenant=${t}/date=${DAY}/events.parquet`));

  // ── 2b. DuckDB's plain scan of the same files ──
  const engine = await openDuckDb();
  const db = await engine.connect();
  const scan = async (columns: string) => {
    const s = performance.now();
    const reader = await db.runAndReadAll(
      `SELECT count(*) AS n, count(DISTINCT messageId) AS d FROM read_json([${files.map(lit).join(', ')}], format = 'newline_delimited', columns = ${columns})`,
    );
    const row = reader.getRowsJS()[0]!;
    return { ms: performance.now() - s, n: Number(row[0]), distinct: Number(row[1]) };
  };
  const schema = eventColumns(METRICS).schema;
  const fullScan = await scan(schema);
  const idScan = await scan(`{messageId: 'VARCHAR'}`);
  const s = performance.now();
  await db.run(`CREATE TEMP TABLE everything AS SELECT * FROM read_json([${files.map(lit).join(', ')}], format = 'newline_delimited', filename = true, columns = ${schema})`);
  const readAll = { ms: performance.now() - s, n: Number((await db.runAndReadAll('SELECT count(*) FROM everything')).getRowsJS()[0]![0]) };
  // The same over the columnar copy: a plain scan, and every column the job reads into a temp table.
  const c0 = performance.now();
  const copyRow = (await db.runAndReadAll(`SELECT count(*), count(DISTINCT messageId) FROM read_parquet([${copies.map(lit).join(', ')}])`)).getRowsJS()[0]!;
  const copyScan = { ms: performance.now() - c0, n: Number(copyRow[0]), distinct: Number(copyRow[1]) };
  const roots = Object.keys(eventColumns(METRICS).roots).map((r) => `, k_${r}`).join('');
  const c1 = performance.now();
  await db.run(`CREATE TEMP TABLE copied AS SELECT file, messageId, type, event, userId, anonymousId, isBot, ts_ms, rcv_ms${roots} FROM read_parquet([${copies.map(lit).join(', ')}])`);
  const copyRead = { ms: performance.now() - c1, n: Number((await db.runAndReadAll('SELECT count(*) FROM copied')).getRowsJS()[0]![0]) };
  db.closeSync();
  engine.close();

  // ── 3. read latency of a 30-day daily series ──
  const seriesLake = join(root, 'series');
  const from30 = start - 29 * DAY_MS;
  for (let d = 0; d < 30; d++) {
    const dayStart = from30 + d * DAY_MS;
    const events = generateEvents('series', 3000, new Date(dayStart).toISOString(), new Date(dayStart + DAY_MS - 1).toISOString(), 9000 + d, 0);
    const dir = join(seriesLake, `raw/tenant=series/date=${new Date(dayStart).toISOString().slice(0, 10)}/hour=12`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, `p0-${d}.ndjson`), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  }
  await runBatch({ lake: seriesLake, tenants: ['series'], now: start + DAY_MS + HOUR_MS });
  const store = createBatchViewStore({ lake: seriesLake });
  // Local days of Berlin inside the 30 covered UTC days.
  const days = seriesBuckets({ from: from30 + DAY_MS, to: start + DAY_MS - 2 * HOUR_MS, granularity: 'day', timeZone: 'Europe/Berlin' });
  const buckets = days.flatMap((b) => b.sources).filter((b) => b >= from30 && b < start + DAY_MS);
  const latencies: Record<string, number[]> = { events: [], unique_users: [] };
  for (const metric of ['events', 'unique_users'] as const) {
    const kind = metric === 'events' ? 'count' : 'unique';
    for (let i = 0; i < 5; i++) await store.read({ tenantId: 'series', metric, kind, resolution: 'quarter', buckets });
    for (let i = 0; i < READS; i++) {
      const s = performance.now();
      await store.read({ tenantId: 'series', metric, kind, resolution: 'quarter', buckets });
      latencies[metric]!.push(performance.now() - s);
    }
  }
  await store.close();
  const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

  // ── report ──
  const rate = (n: number, ms: number) => fmt((n / ms) * 1000);
  console.log(`\n### Batch layer (${lines.toLocaleString('en-US')} raw lines, ${(bytes / 1e6).toFixed(0)} MB NDJSON, ${TENANTS} tenants × 1 day; DuckDB alone with threads = cores)\n`);
  console.log('| measurement | time | raw events/s | notes |');
  console.log('|---|---:|---:|---|');
  for (const r of runs) {
    const ratios = `${(r.ms / copyScan.ms).toFixed(1)}× (d), ${(r.ms / copyRead.ms).toFixed(1)}× (e)`;
    console.log(`| (a) ${r.label} | ${(r.ms / 1000).toFixed(2)} s | ${rate(r.result.rawEvents, r.ms)} | CPU ${((r.cpu * 1000) / r.result.rawEvents).toFixed(2)} µs/event (/proc, this process); time ${ratios}; ${fmt(r.result.periods.reduce((n, p) => n + p.cells, 0))} cells |`);
  }
  console.log(`| (d) DuckDB plain scan of the columnar copy | ${(copyScan.ms / 1000).toFixed(2)} s | ${rate(copyScan.n, copyScan.ms)} | count(*) = ${fmt(copyScan.n)}, distinct messageId = ${fmt(copyScan.distinct)} |`);
  console.log(`| (e) DuckDB read of every column the job reads, from the copy | ${(copyRead.ms / 1000).toFixed(2)} s | ${rate(copyRead.n, copyRead.ms)} | into a temp table, nothing derived |`);
  console.log(`| (b) DuckDB plain scan, job's schema | ${(fullScan.ms / 1000).toFixed(2)} s | ${rate(fullScan.n, fullScan.ms)} | count(*) = ${fmt(fullScan.n)}, distinct messageId = ${fmt(fullScan.distinct)} |`);
  console.log(`| (b') DuckDB plain scan, messageId only | ${(idScan.ms / 1000).toFixed(2)} s | ${rate(idScan.n, idScan.ms)} | an undeclared key costs more than a declared one |`);
  console.log(`| (c) DuckDB read of every column the job reads | ${(readAll.ms / 1000).toFixed(2)} s | ${rate(readAll.n, readAll.ms)} | into a temp table, nothing derived |`);
  for (const metric of ['events', 'unique_users']) {
    const l = latencies[metric]!;
    console.log(`| read 30-day daily series, ${metric} | p50 ${pct(l, 50).toFixed(1)} ms / p99 ${pct(l, 99).toFixed(1)} ms | | ${buckets.length} buckets, 30 views, ${READS} reads |`);
  }
  console.log(`\nlast re-run from the copy: ${fmt(cells)} cells; its time / (d) copy scan: ${(jobMs / copyScan.ms).toFixed(2)}×, / (e) copy read: ${(jobMs / copyRead.ms).toFixed(2)}×; job rate / (c) NDJSON read rate: ${((readAll.ms / jobMs) * 100).toFixed(0)} %; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}; generation took ${(generateMs / 1000).toFixed(1)} s (not measured)`);
} finally {
  await rm(root, { recursive: true, force: true });
}
