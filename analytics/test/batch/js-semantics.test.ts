import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuckDb, type DuckDbEngine } from '../../src/batch/duckdb-engine.ts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventColumns, lit } from '../../src/batch/metric-sql.ts';
import type { AnalyticsEvent } from '../../src/contracts/event.ts';
import { contributions, toMinorUnits, type MetricDeclaration } from '../../src/contracts/metrics.ts';
import { hllPoint } from '../../src/sketches/hyperloglog.ts';
import { hash64 } from '../../src/sketches/hash64.ts';

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
    const rows = (await db.runAndReadAll(`SELECT hll_index(hash64(s)), hll_rank(hash64(s)), hash64_hex(s) FROM (SELECT unnest([${ids.map(lit).join(', ')}]) AS s)`)).getRowsJS();
    expect(rows.map(([index, rank]) => ({ index, rank }))).toEqual(ids.map(hllPoint));
    expect(rows.map((row) => row[2])).toEqual(ids.map((id) => hash64(id).toString(16).padStart(16, '0')));
  });

  it('reads JSON values from raw NDJSON as scalar() and toMinorUnits() do (the batch read path)', async () => {
    const odd = fc.constantFrom<unknown>('', ' 12.50 ', '\u00a01.5\u2028', '\ufeff7', 'x'.repeat(250), 'é'.repeat(201), 'a\\b', 'q"uote', 'tab\t', '1e21', '-0', '007.10', 'true', 0, 1e21, 1e-7, 0.000001, 123456789012345680000, 2 ** 53 + 2, -1.25, 19.99, 1.005, 5e-324, -1e-7);
    const values = fc.sample(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }), fc.array(fc.integer(), { maxLength: 2 }), odd, odd), 1500);
    const probe: MetricDeclaration = { name: 'probe', description: 'test', filter: {}, measure: { kind: 'topk', property: ['properties.v'], k: 1 }, breakdowns: [] };
    const event = (v: unknown, i: number): AnalyticsEvent => ({ tenantId: 't', messageId: `m${i}`, type: 'track', timestamp: '2026-01-01T00:00:00.000Z', receivedAt: '2026-01-01T00:00:00.000Z', properties: v === undefined ? {} : { v }, context: {}, isBot: false });
    // What the batch sees is what the archiver wrote: the events through JSON.stringify.
    const lines = values.map((v, i) => JSON.stringify(event(v, i)));
    const seen = lines.map((l) => JSON.parse(l) as AnalyticsEvent);
    const dir = await mkdtemp(join(tmpdir(), 'js-semantics-'));
    try {
      const file = join(dir, 'raw.ndjson');
      await writeFile(file, lines.join('\n') + '\n');
      const columns = eventColumns([probe]);
      const rows = (
        await db.runAndReadAll(
          `SELECT messageId, encode(js_scalar(j0)) AS s, js_minor_units(js_minor_text(j0), 2) AS u FROM (SELECT *, ${columns.leaves.join(', ')} FROM read_json(${lit(file)}, format = 'newline_delimited', columns = ${columns.schema}))`,
        )
      ).getRowObjectsJS();
      // As bytes: the client's text decoding drops a leading U+FEFF.
      const text = new TextDecoder('utf-8', { ignoreBOM: true });
      const got = new Map(rows.map((r) => [r.messageId as string, { s: r.s instanceof Uint8Array ? text.decode(r.s) : null, u: r.u === null ? null : Number(r.u) }]));
      const mismatches = seen.flatMap((e, i) => {
        const v = e.properties.v;
        const c = contributions(e, [probe]).contributions[0];
        const want = { s: c?.kind === 'topk' ? c.item : null, u: v === undefined || v === null ? null : toMinorUnits(v, 2) };
        const have = got.get(e.messageId);
        return have && have.s === want.s && (have.u === want.u || Object.is(Math.abs(have.u ?? NaN), Math.abs(want.u ?? NaN))) ? [] : [{ line: lines[i], want, have }];
      });
      expect(mismatches).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
