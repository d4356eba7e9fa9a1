/**
 * The speed layer's fold with and without goals defined: `npm run bench:speed-goals`.
 * Not a test: the figure depends on the machine and its load.
 *
 * One process folds the same events (8 tenants; page and screen views over 40 paths, track
 * events of 6 names with properties, identify calls, 5 % bots) through `PartitionBuffer` in
 * batches of FLUSH events, as a flush does, with each tenant holding 0, 10 or 50 goals (half
 * path patterns, half events with property values). The three setups alternate, ROUNDS times,
 * so load on the shared machine hits them alike. Printed per setup: events/s (median round),
 * fold time per flush (p50/p95/p99), CPU ms per 1,000 events from /proc, cells per flush, and
 * CPU per event as a ratio to no goals (wall time on a loaded machine says more about the load).
 */
import { compileGoals, METRICS, type AnalyticsEvent, type CompiledGoals, type GoalDefinition } from '../analytics/src/contracts/index.ts';
import { seededRandom } from '../analytics/src/demo/seeded-random.ts';
import { PartitionBuffer } from '../analytics/src/speed/index.ts';
import { VisitBook } from '../analytics/src/speed/visit-book.ts';
import { cpuMsPerThousand, cpuSeconds } from './lib/proc-cpu.ts';

const EVENTS = Number(process.env.EVENTS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const FLUSH = 5_000;
const TENANTS = Array.from({ length: 8 }, (_, i) => `bench-${i}`);
const PATHS = Array.from({ length: 40 }, (_, i) => `/${['blog', 'docs', 'shop', 'signup'][i % 4]}/${i}`);
const NAMES = ['Signed Up', 'Order Completed', 'Added To Cart', 'Clicked', 'Searched', 'Shared'];

const r = seededRandom(7);
const base = Date.now() - 30 * 60_000;
const events: AnalyticsEvent[] = Array.from({ length: EVENTS }, (_, i) => {
  const at = new Date(base + Math.floor((i / EVENTS) * 20 * 60_000)).toISOString();
  const kind = r();
  const common = { tenantId: TENANTS[i % TENANTS.length]!, messageId: `m-${i}`, anonymousId: `a${r.below(5000)}`, timestamp: at, receivedAt: at, isBot: r() < 0.05 };
  if (kind < 0.6) return { ...common, type: r() < 0.9 ? 'page' : 'screen', properties: {}, context: { page: { path: r.pick(PATHS) } } };
  if (kind < 0.9) return { ...common, type: 'track', event: r.pick(NAMES), properties: { plan: r.pick(['pro', 'free', 'team']), revenue: r.below(10_000) / 100 }, context: { page: { path: r.pick(PATHS) } } };
  return { ...common, type: 'identify', properties: {}, context: {} };
});

function goalsOf(count: number): CompiledGoals {
  const goals = Array.from({ length: count }, (_, i): GoalDefinition =>
    i % 2 === 0 ? { id: `g${i}`, kind: 'page', path: `/${['blog', 'docs', 'shop', 'signup'][i % 4]}/${i % 10}*` } : { id: `g${i}`, kind: 'event', event: NAMES[i % NAMES.length]!, properties: { plan: i % 3 === 0 ? 'pro' : 'team' } },
  );
  return compileGoals(goals);
}

interface Round {
  ms: number;
  cpuPerThousand: number;
  flushMs: number[];
  cells: number;
}

function fold(goals: CompiledGoals): Round {
  const flushMs: number[] = [];
  let cells = 0;
  const book = new VisitBook();
  const cpuBefore = cpuSeconds();
  const started = performance.now();
  for (let from = 0; from < EVENTS; from += FLUSH) {
    const t = performance.now();
    const buffer = new PartitionBuffer(0, from, METRICS, Number.MAX_SAFE_INTEGER / 4, book, () => goals);
    for (let i = from; i < Math.min(EVENTS, from + FLUSH); i++) buffer.add(i, events[i]!, Date.now());
    cells += buffer.toBatch().cells.length;
    buffer.commitVisits();
    flushMs.push(performance.now() - t);
  }
  const ms = performance.now() - started;
  return { ms, cpuPerThousand: Number(cpuMsPerThousand(cpuBefore, cpuSeconds(), EVENTS)), flushMs, cells: cells / Math.ceil(EVENTS / FLUSH) };
}

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;
const median = (values: number[]) => pct(values, 50);

const setups = [0, 10, 50].map((n) => ({ goals: n, compiled: goalsOf(n), rounds: [] as Round[] }));
fold(setups[0]!.compiled); // warm-up: JIT and the hash memo
for (let round = 0; round < ROUNDS; round++) for (const setup of setups) setup.rounds.push(fold(setup.compiled));

console.log(`\n${new Date().toISOString()}  speed fold, ${EVENTS} events x ${ROUNDS} rounds per setup, flushes of ${FLUSH}, alternating`);
console.log('| goals per tenant | events/s (median) | fold per flush p50 / p95 / p99 ms | CPU ms per 1,000 events (median) | cells per flush | CPU per event vs no goals |');
console.log('|---|---|---|---|---|---|');
const baseline = median(setups[0]!.rounds.map((x) => x.cpuPerThousand));
for (const { goals, rounds } of setups) {
  const rate = median(rounds.map((x) => EVENTS / x.ms));
  const flushes = rounds.flatMap((x) => x.flushMs);
  console.log(
    `| ${goals} | ${Math.round(rate * 1000)} | ${[50, 95, 99].map((p) => pct(flushes, p).toFixed(1)).join(' / ')} | ${median(rounds.map((x) => x.cpuPerThousand)).toFixed(1)} | ${Math.round(median(rounds.map((x) => x.cells)))} | ${(median(rounds.map((x) => x.cpuPerThousand)) / baseline).toFixed(2)} |`,
  );
}
