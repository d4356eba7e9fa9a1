import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuckDb, type DuckDbEngine } from '../../src/batch/duckdb-engine.ts';
import { lit } from '../../src/batch/metric-sql.ts';
import { toMinorUnits } from '../../src/contracts/metrics.ts';
import { hllPoint } from '../../src/sketches/hyperloglog.ts';

// The SQL twins of the TypeScript rules `contributions()` relies on, checked value by value.
describe('batch SQL macros match the TypeScript semantics', () => {
  let engine: DuckDbEngine;
  let db: DuckDBConnection;
  beforeAll(async () => {
    engine = await openDuckDb({ threads: 1 });
    db = await engine.connect();
  });
  afterAll(() => {
    db.closeSync();
    engine.close();
  });

  const column = async (sql: string) => (await db.runAndReadAll(sql)).getRowsJS().map((r) => r[0]);

  it('formats numbers as String(number) does', async () => {
    const values = fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), 400).concat([0, -0, 1e21, 1e-7, 123e-20, 2 ** 60, 0.1 + 0.2, -1.5]);
    const sql = `SELECT js_number(v) FROM (SELECT unnest([${values.map((v) => `${Object.is(v, -0) ? '-0.0' : v.toExponential(17)}::DOUBLE`).join(', ')}]) AS v)`;
    expect(await column(sql)).toEqual(values.map(String));
  });

  it('reads decimals into minor units as toMinorUnits does (JSON numbers and strings)', async () => {
    const texts = fc.sample(fc.oneof(fc.stringMatching(/^ ?-?\d{1,17}(\.\d{0,4})? ?$/), fc.constantFrom('abc', '', '1e3', '.5', '5.', '00.10', '-0'), fc.string({ maxLength: 6 })), 300);
    const numbers = fc.sample(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer().map((n) => n / 100)), 300);
    const json = [...texts.map((t) => JSON.stringify({ v: t })), ...numbers.map((n) => JSON.stringify({ v: n }))];
    const sql = `SELECT js_minor_units(js_minor_text(j), 2) FROM (SELECT json_extract(unnest([${json.map(lit).join(', ')}])::JSON, '$.v') AS j)`;
    const expected = [...texts, ...numbers].map((v) => toMinorUnits(v, 2));
    const actual = (await column(sql)).map((v) => (v === null ? null : Number(v)));
    expect(json.flatMap((j, i) => (Object.is(actual[i], expected[i]) || actual[i] === expected[i] ? [] : [[j, actual[i], expected[i]]]))).toEqual([]);
  });

  it('places identities in the same HyperLogLog register with the same rank as hllPoint', async () => {
    const ids = fc.sample(fc.string({ unit: 'grapheme', maxLength: 12 }), 500).filter((s) => !s.includes('\0'));
    const rows = (await db.runAndReadAll(`SELECT hll_index(hash64(s)), hll_rank(hash64(s)) FROM (SELECT unnest([${ids.map(lit).join(', ')}]) AS s)`)).getRowsJS();
    expect(rows.map(([index, rank]) => ({ index, rank }))).toEqual(ids.map(hllPoint));
  });
});
