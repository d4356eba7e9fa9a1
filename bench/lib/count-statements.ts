/**
 * Preloaded into an app process by the checkout benchmark (`node --import`): counts every
 * statement the app sends to its database, BEGIN and COMMIT included (each is a round trip), and
 * writes the count (in total and by statement text) to BENCH_STATEMENT_COUNT_FILE when the
 * process gets SIGUSR2. No pg_stat_statements is needed on the server.
 *
 * - node-postgres (`DATABASE_URL` set): every `Client#query` call.
 * - PGlite (the embedded default): every Execute or simple Query message the app hands to the
 *   backend, read from the protocol bytes of `execProtocolStream`, through which every PGlite
 *   statement passes (its own `query`, `exec`, BEGIN/COMMIT of `transaction`, and the adapter's
 *   prepared statements). A statement prepared once and run many times counts once per run, as
 *   on node-postgres.
 *
 * Both drivers are taken from the app's own `node_modules` (its working directory), so an app
 * started from another checkout (`BENCH_APP_ROOT`) is counted too.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

let count = 0;
const byText = new Map<string, number>();
function counted(text: string): void {
  count++;
  const key = text.replace(/\s+/g, ' ').slice(0, 110);
  byText.set(key, (byText.get(key) ?? 0) + 1);
}

const appRequire = createRequire(join(process.cwd(), 'package.json'));

const pg = appRequire('pg') as typeof import('pg');
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(this: import('pg').Client, ...args: unknown[]) {
  const first = args[0];
  counted(typeof first === 'string' ? first : String((first as { text?: string })?.text));
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

// The ESM build, which the app imports (the CommonJS one beside it would be another class).
const pgliteEntry = pathToFileURL(join(dirname(appRequire.resolve('@electric-sql/pglite')), 'index.js')).href;
const { PGlite } = (await import(pgliteEntry)) as typeof import('@electric-sql/pglite');
countPgliteStatements(PGlite.prototype);

/** Statement names and the statement bound last, per PGlite instance: a Bind names the statement its Execute runs. */
interface ProtocolState {
  texts: Map<string, string>;
  bound: string;
}

function countPgliteStatements(proto: InstanceType<typeof PGlite>): void {
  const states = new WeakMap<object, ProtocolState>();
  const original = proto.execProtocolStream;
  proto.execProtocolStream = function countedStream(this: InstanceType<typeof PGlite>, message, options) {
    let state = states.get(this);
    if (!state) states.set(this, (state = { texts: new Map(), bound: '' }));
    readFrontendMessages(message, state);
    return original.call(this, message, options);
  };
}

const decoder = new TextDecoder();

/** Walks the frontend messages (type byte, int32 length including itself, body) and counts each Execute and simple Query. */
function readFrontendMessages(bytes: Uint8Array, state: ProtocolState): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const cString = (from: number): [string, number] => {
    const end = bytes.indexOf(0, from);
    return [decoder.decode(bytes.subarray(from, end)), end + 1];
  };
  for (let at = 0; at + 5 <= bytes.length; ) {
    const type = String.fromCharCode(bytes[at]!);
    const length = view.getInt32(at + 1);
    const body = at + 5;
    if (type === 'P') {
      const [name, next] = cString(body);
      state.texts.set(name, cString(next)[0]);
    } else if (type === 'B') {
      const [, next] = cString(body); // portal
      state.bound = cString(next)[0];
    } else if (type === 'E') {
      counted(state.texts.get(state.bound) ?? `(statement ${state.bound})`);
    } else if (type === 'Q') {
      counted(cString(body)[0]);
    }
    at += 1 + length;
  }
}

const file = process.env.BENCH_STATEMENT_COUNT_FILE;
if (file) process.on('SIGUSR2', () => writeFileSync(file, JSON.stringify({ count, at: Date.now(), byText: Object.fromEntries(byText) })));
