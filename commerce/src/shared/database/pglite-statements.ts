import { parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';

/** Distinct statement texts given a name; past this, new texts take PGlite's own unnamed path (dynamic SQL must not grow it forever). */
const MAX_PREPARED = 1_000;

interface Prepared {
  name: string;
  /** The parameter types PostgreSQL inferred, which choose each value's serializer. */
  paramTypes: number[];
}

const { serialize } = protocol;
/** Names are unique in the process, so two sets of statements on one PGlite never collide. */
let named = 0;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Runs parameterised statements on PGlite as named prepared statements, one call into the
 * WebAssembly backend each. PGlite's own `query` parses, plans and describes the text anew on
 * every call, in six protocol round trips (parse, describe, bind, describe, execute, sync); in
 * process these are not network trips but backend CPU on the app's own thread. Here a text is
 * parsed and described once, then each run is one bind + describe + execute + sync.
 *
 * Values are serialised as PGlite's `query` does (its serializer for the inferred type, else
 * `toString`) and rows parsed with its parsers, so results are the same. The caller holds the
 * locks PGlite's `query` would (`run` takes none).
 *
 * @example
 *   const statements = preparedStatements(db);
 *   await db._runExclusiveQuery(() => statements.run('select 1 where $1::int > 0', [1]));
 */
export function preparedStatements(db: PGlite, limit = MAX_PREPARED) {
  const prepared = new Map<string, Prepared>();

  async function prepare(text: string): Promise<Prepared | undefined> {
    const known = prepared.get(text);
    if (known || prepared.size >= limit) return known;
    const name = `p${++named}`;
    // Throws (and names nothing) on a syntax error or inside an aborted transaction.
    const messages = await db.execProtocolStream(concat([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()]), {
      syncToFs: false,
    });
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(messages) };
    prepared.set(text, statement);
    return statement;
  }

  return {
    /** Resolves undefined when the text is past the naming limit: the caller runs it the usual way. */
    async run<R>(text: string, params: readonly unknown[] = []): Promise<Results<R> | undefined> {
      try {
        const statement = await prepare(text);
        if (!statement) return undefined;
        const values = params.map((value, i) => {
          if (value === null || value === undefined) return null;
          const serializer = db.serializers[statement.paramTypes[i]!];
          return serializer ? serializer(value) : String(value);
        });
        const messages = await db.execProtocolStream(
          concat([serialize.bind({ statement: statement.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]),
          { syncToFs: false },
        );
        return parse.parseResults(messages, db.parsers)[0] as Results<R>;
      } catch (error) {
        // As PGlite's `query` does: the failing statement travels with its error.
        if (error instanceof Error) Object.assign(error, { query: text, params });
        throw error;
      }
    },
  };
}
