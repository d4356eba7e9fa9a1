import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/shared/database/index.ts';
import { databaseEngines, hostListEngine, type TestDatabase } from './databases.ts';

describe.each([...databaseEngines(), hostListEngine()])('Database port on $name', ({ open, skip }) => {
  // One database per engine for the whole contract: each test works in a schema of its own, and opening an
  // embedded PGlite costs seconds of CPU each time.
  let shared!: TestDatabase;
  beforeAll(async () => {
    if (!skip) shared = await open();
  });
  afterAll(() => shared?.cleanup());

  it.skipIf(skip)('commits a transaction and rolls one back on error', async () => {
    const { db } = shared;
    await db.exec('create schema s; create table s.t (id int primary key, n bigint not null)');
    await db.transaction(async (tx) => {
      await tx.query('insert into s.t values ($1, $2)', [1, 10]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into s.t values ($1, $2)', [2, 20]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await db.query<{ id: number; n: number }>('select id, n from s.t order by id');
    // int8 comes back as a number on both engines
    expect(rows).toEqual([{ id: 1, n: 10 }]);
  });

  it.skipIf(skip)('applies each module migration once, in its own schema', async () => {
    const { db } = shared;
    const modules = [{ schema: 'm1', migrations: [{ id: '001_a', sql: 'create table m1.a (id int);\ncreate table m1.b (id int);' }] }];
    expect(await migrate(db, modules)).toEqual(['m1/001_a']);
    expect(await migrate(db, modules)).toEqual([]);
    const { rows } = await db.query<{ n: number }>(
      "select count(*)::int as n from information_schema.tables where table_schema = 'm1'",
    );
    expect(rows[0]?.n).toBe(3); // a, b and schema_migrations
  });

  it.skipIf(skip)('never runs a statement inside another caller\'s open transaction', async () => {
    const { db } = shared;
    await db.exec('create schema i; create table i.t (id int)');
    let inserted!: () => void;
    let release!: () => void;
    const wrote = new Promise<void>((r) => (inserted = r));
    const held = new Promise<void>((r) => (release = r));
    const transaction = db
      .transaction(async (tx) => {
        await tx.query('insert into i.t values ($1)', [1]);
        inserted();
        await held; // open, between statements, while another caller reads
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await wrote;
    const read = db.query<{ n: number }>('select count(*)::int as n from i.t where id = $1', [1]);
    await new Promise((r) => setTimeout(r, 50));
    release();
    await transaction;
    expect((await read).rows[0]!.n).toBe(0);
  });

  it.skipIf(skip)('beforeCommit: after the work, in the order added (those added meanwhile too), inside the transaction, before onCommit', async () => {
    const { db } = shared;
    await db.exec('create schema bc; create table bc.t (id int primary key)');
    const log: string[] = [];
    const result = await db.transaction(async (tx) => {
      tx.beforeCommit!(async () => {
        // The work's writes are visible here, uncommitted: this runs in the same transaction.
        const { rows } = await tx.query<{ n: number }>('select count(*)::int as n from bc.t');
        log.push(`first sees ${rows[0]!.n}`);
        await tx.query('insert into bc.t values ($1)', [2]);
        tx.beforeCommit!(async () => void log.push('added by the first'));
      });
      tx.beforeCommit!(async () => void log.push('second'));
      tx.onCommit!(() => log.push('committed'));
      await tx.query('insert into bc.t values ($1)', [1]);
      log.push('work done');
      return 'value';
    });
    expect(result).toBe('value');
    expect(log).toEqual(['work done', 'first sees 1', 'second', 'added by the first', 'committed']);
    expect((await db.query<{ id: number }>('select id from bc.t order by id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it.skipIf(skip)('beforeCommit: a callback that throws rolls the whole transaction back; no later callback or onCommit runs', async () => {
    const { db } = shared;
    await db.exec('create schema bt; create table bt.t (id int primary key)');
    const log: string[] = [];
    await expect(
      db.transaction(async (tx) => {
        tx.beforeCommit!(async () => {
          await tx.query('insert into bt.t values ($1)', [2]);
          throw new Error('refused before commit');
        });
        tx.beforeCommit!(async () => void log.push('after the throw'));
        tx.onCommit!(() => log.push('committed'));
        await tx.query('insert into bt.t values ($1)', [1]);
      }),
    ).rejects.toThrow('refused before commit');
    expect(log).toEqual([]);
    expect((await db.query<{ n: number }>('select count(*)::int as n from bt.t')).rows[0]!.n).toBe(0);
    // The connection is usable again: the next transaction commits.
    await db.transaction(async (tx) => void (await tx.query('insert into bt.t values ($1)', [3])));
    expect((await db.query<{ id: number }>('select id from bt.t')).rows).toEqual([{ id: 3 }]);
  });

  it.skipIf(skip)('delivers NOTIFY to a listener', async () => {
    const { db } = shared;
    const got = new Promise<string>((resolve) => void db.listen('ping', resolve));
    await new Promise((r) => setTimeout(r, 50));
    await db.query(`select pg_notify('ping', 'hello')`);
    expect(await got).toBe('hello');
  });
});

describe.each(databaseEngines())('rowCount on $name', ({ open, skip }) => {
  it.skipIf(skip)('counts rows returned by a select and rows changed by an update, as node-postgres does', async () => {
    const { db, cleanup } = await open();
    try {
      await db.exec('create schema r; create table r.t (id int)');
      expect((await db.query('insert into r.t select generate_series(1, 3)')).rowCount).toBe(3);
      expect((await db.query('select * from r.t')).rowCount).toBe(3);
      expect((await db.query('update r.t set id = id + 1 where id > 1')).rowCount).toBe(2);
      expect((await db.query('update r.t set id = id returning id')).rowCount).toBe(3);
    } finally {
      await cleanup();
    }
  });
});
