/**
 * Preloaded into an app process by the checkout benchmark (`node --import`): counts every
 * statement node-postgres sends (BEGIN and COMMIT included: each is a round trip), and writes
 * the count (in total and by statement text) to BENCH_STATEMENT_COUNT_FILE when the process gets SIGUSR2. No pg_stat_statements
 * is needed on the server.
 */
import { writeFileSync } from 'node:fs';
import pg from 'pg';

let count = 0;
const byText = new Map<string, number>();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
  count++;
  const first = args[0];
  const text = (typeof first === 'string' ? first : String((first as { text?: string })?.text)).replace(/\s+/g, ' ').slice(0, 110);
  byText.set(text, (byText.get(text) ?? 0) + 1);
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const file = process.env.BENCH_STATEMENT_COUNT_FILE;
if (file) process.on('SIGUSR2', () => writeFileSync(file, JSON.stringify({ count, at: Date.now(), byText: Object.fromEntries(byText) })));
