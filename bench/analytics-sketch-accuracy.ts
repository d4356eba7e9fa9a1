/**
 * Accuracy and size of the unique-count sketch at 10^2 ... 10^7 distinct values.
 *
 *   npx tsx bench/analytics-sketch-accuracy.ts          (npm run bench:sketch-accuracy)
 *
 * For each size n and each of BENCH_SEEDS seeds (default 5; sizes of 10^7 and more use
 * BENCH_LARGE_SEEDS, default 3) it streams n distinct values (`seed-<s>-<i>`, hashed one at a
 * time, never held) into one sketch and compares its estimate with n. Per size it prints the mean
 * signed and mean / max absolute relative error, the same for the registers alone (the sketch
 * before exact sets: a HyperLogLog of the same values), the stored bytes (`toBytes`, format
 * version 2) and the form. Up to 10^5 it also builds the sketch as 96 parts merged (a day of
 * quarter hours) and checks that the merge gives the same bytes. BENCH_MAX caps the largest size.
 * Prints a markdown table.
 */
import { EXACT_LIMIT, HLL_STANDARD_ERROR, HyperLogLog } from '../analytics/src/sketches/index.ts';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 5);
const LARGE_SEEDS = Number(process.env.BENCH_LARGE_SEEDS ?? 3);
const MAX = Number(process.env.BENCH_MAX ?? 10_000_000);
const MERGE_CHECK_MAX = 100_000;
const PARTS = 96;

interface Row {
  n: number;
  seeds: number;
  signed: number;
  meanAbs: number;
  maxAbs: number;
  hllSigned: number;
  hllMeanAbs: number;
  hllMaxAbs: number;
  bytes: number[];
  forms: Set<string>;
  mergesEqual: boolean | null;
  seconds: number;
}

const pct = (x: number) => `${(x * 100).toFixed(3)} %`;

function measure(n: number): Row {
  const seeds = n >= 10_000_000 ? LARGE_SEEDS : SEEDS;
  const started = performance.now();
  const row: Row = { n, seeds, signed: 0, meanAbs: 0, maxAbs: 0, hllSigned: 0, hllMeanAbs: 0, hllMaxAbs: 0, bytes: [], forms: new Set(), mergesEqual: n <= MERGE_CHECK_MAX ? true : null, seconds: 0 };
  for (let seed = 1; seed <= seeds; seed++) {
    const sketch = new HyperLogLog();
    const parts = n <= MERGE_CHECK_MAX ? Array.from({ length: PARTS }, () => new HyperLogLog()) : null;
    for (let i = 0; i < n; i++) {
      const value = `seed-${seed}-${i}`;
      sketch.add(value);
      parts?.[i % PARTS]!.add(value);
    }
    const error = (sketch.estimate() - n) / n;
    const registersOnly = new HyperLogLog(sketch.registers);
    const hllError = (registersOnly.estimate() - n) / n;
    row.signed += error / seeds;
    row.meanAbs += Math.abs(error) / seeds;
    row.maxAbs = Math.max(row.maxAbs, Math.abs(error));
    row.hllSigned += hllError / seeds;
    row.hllMeanAbs += Math.abs(hllError) / seeds;
    row.hllMaxAbs = Math.max(row.hllMaxAbs, Math.abs(hllError));
    const bytes = sketch.toBytes();
    row.bytes.push(bytes.length);
    row.forms.add(['exact hashes', 'registers', 'register triples'][bytes[2]!]!);
    if (parts) {
      const merged = parts.reduce((day, part) => day.merge(part), new HyperLogLog());
      row.mergesEqual &&= Buffer.from(merged.toBytes()).equals(Buffer.from(bytes));
    }
  }
  row.seconds = (performance.now() - started) / 1000;
  return row;
}

const sizes: number[] = [];
for (let n = 100; n <= MAX; n *= 10) sizes.push(n);
console.log(`${new Date().toISOString()}  unique-count sketch accuracy, exact up to ${EXACT_LIMIT.toLocaleString('en-US')} hashes, HLL standard error ${pct(HLL_STANDARD_ERROR)}`);
const rows: Row[] = [];
for (const n of sizes) {
  const row = measure(n);
  rows.push(row);
  console.log(`n = ${n.toLocaleString('en-US')}: mean |error| ${pct(row.meanAbs)}, max ${pct(row.maxAbs)} (${row.seeds} seeds, ${row.seconds.toFixed(1)} s)`);
}
console.log('| distinct values | seeds | mean error | mean abs error | max abs error | registers only: mean / mean abs / max abs | bytes per sketch | form | 96 parts merged = one sketch |');
console.log('|---:|---:|---:|---:|---:|---|---:|---|---|');
for (const r of rows) {
  const bytes = Math.min(...r.bytes) === Math.max(...r.bytes) ? `${r.bytes[0]!.toLocaleString('en-US')}` : `${Math.min(...r.bytes).toLocaleString('en-US')}-${Math.max(...r.bytes).toLocaleString('en-US')}`;
  console.log(
    `| ${r.n.toLocaleString('en-US')} | ${r.seeds} | ${pct(r.signed)} | ${pct(r.meanAbs)} | ${pct(r.maxAbs)} | ${pct(r.hllSigned)} / ${pct(r.hllMeanAbs)} / ${pct(r.hllMaxAbs)} | ${bytes} | ${[...r.forms].join(', ')} | ${r.mergesEqual === null ? 'not checked' : r.mergesEqual ? 'yes' : 'NO'} |`,
  );
}
