import { PGlite, types } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preparedStatements } from './pglite-statements.ts';

const parsers = { [types.INT8]: (value: string) => Number(value) };

describe('prepared statements on PGlite', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create('memory://', { parsers });
    await db.exec(`create schema p;
      create table p.t (id int8 primary key, amount numeric, doc jsonb, at timestamptz, tags text[], raw bytea, ok boolean, note text)`);
  }, 120_000);
  afterAll(() => db?.close());

  const inLock = <T>(work: () => Promise<T>) => db._runExclusiveQuery(work);
  const preparedNamed = async (text: string) =>
    (await db.query<{ n: number }>('select count(*)::int as n from pg_prepared_statements where statement = $1', [text])).rows[0]!.n;

  it('writes and reads every kind of value exactly as PGlite\'s own query does', async () => {
    const statements = preparedStatements(db);
    const insert = 'insert into p.t (id, amount, doc, at, tags, raw, ok, note) values ($1, $2, $3, $4, $5, $6, $7, $8)';
    const values = (id: number) => [id, '12.50', { a: [1, 'two'], b: null }, new Date('2026-01-02T03:04:05.678Z'), ['x', 'y "q"'], new Uint8Array([0, 255, 7]), true, null];
    await db.query(insert, values(1));
    const inserted = await inLock(() => statements.run(insert, values(2)));
    expect(inserted).toMatchObject({ affectedRows: 1, rows: [] });

    const select = 'select id, amount, doc, at, tags, raw, ok, note from p.t where id = $1';
    const theirs = await db.query(select, [2]);
    const ours = await inLock(() => statements.run(select, [1]));
    expect(ours!.rows).toEqual([{ ...theirs.rows[0]!, id: 1 }]);
    expect(ours!.fields).toEqual(theirs.fields);
    expect(typeof (ours!.rows[0] as { id: unknown }).id).toBe('number'); // the int8 parser given at creation applies
  });

  it('prepares a text once and binds new values on every later run', async () => {
    const statements = preparedStatements(db);
    const text = 'select $1::int8 * 2 as twice';
    const runs = [];
    for (const n of [1, 2, 3]) runs.push((await inLock(() => statements.run<{ twice: number }>(text, [n])))!.rows[0]!.twice);
    expect(runs).toEqual([2, 4, 6]);
    expect(await preparedNamed(text)).toBe(1);
  });

  it('leaves texts past its limit to the caller, unprepared', async () => {
    const statements = preparedStatements(db, 1);
    expect(await inLock(() => statements.run('select $1::int + 1 as n', [1]))).toMatchObject({ rows: [{ n: 2 }] });
    const past = 'select $1::int + 2 as n';
    expect(await inLock(() => statements.run(past, [1]))).toBeUndefined();
    expect(await preparedNamed(past)).toBe(0);
  });

  it('throws PostgreSQL\'s error with its code and the statement, and runs on afterwards', async () => {
    const statements = preparedStatements(db);
    const insert = 'insert into p.t (id) values ($1)';
    await inLock(() => statements.run(insert, [10]));
    const error = await inLock(() => statements.run(insert, [10])).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: '23505', constraint: 't_pkey', query: insert });
    const syntax = await inLock(() => statements.run('selec $1', [1])).catch((e: unknown) => e);
    expect(syntax).toMatchObject({ code: '42601' });
    expect(await inLock(() => statements.run('select count(*) as n from p.t where id = $1', [10]))).toMatchObject({ rows: [{ n: 1 }] });
  });
});
