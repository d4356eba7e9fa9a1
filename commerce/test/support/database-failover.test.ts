import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineUnavailableError } from '@shop/platform';
import { postgresBinaries, startPostgresStandbyPair, type PostgresStandbyPair } from '@shop/platform/testing';
import { createPgDatabase, type Database } from '../../src/shared/database/index.ts';

const binaries = postgresBinaries();

/**
 * The node-postgres adapter over a primary and a synchronous streaming standby started here:
 * the primary is stopped as in a crash and the standby promoted while statements are waiting.
 */
describe.skipIf(!binaries.available)('PostgreSQL adapter across a failover', () => {
  let pair: PostgresStandbyPair;
  let db: Database;
  let reads: Database;
  const chosen: string[] = [];
  const readChosen: string[] = [];

  beforeAll(async () => {
    pair = await startPostgresStandbyPair({ synchronous: true, bin: binaries.bin });
    db = await createPgDatabase(pair.url('postgres'), { poolSize: 4, failoverWaitMs: 15_000, onHostChosen: (h) => chosen.push(h) });
    reads = await createPgDatabase(pair.url('postgres', 'prefer-standby'), { poolSize: 2, failoverWaitMs: 15_000, onHostChosen: (h) => readChosen.push(h) });
  }, 60_000);
  afterAll(async () => {
    await reads?.close();
    await db?.close();
    await pair?.remove();
  });

  it('writes on the primary, reads on the standby, then keeps every acknowledged write, waits for the promotion and re-listens there', async () => {
    const host = (s: { port: number }) => `127.0.0.1:${s.port}`;
    expect(chosen).toEqual([host(pair.primary)]);
    expect(readChosen).toEqual([host(pair.standby)]);
    expect((await reads.query<{ standby: boolean }>('select pg_is_in_recovery() as standby')).rows[0]!.standby).toBe(true);
    // Listed first, the standby is passed over for writes: it is asked its role, as libpq does.
    const standbyFirst: string[] = [];
    const writes = await createPgDatabase(`postgres://postgres@${host(pair.standby)},${host(pair.primary)}/postgres?target_session_attrs=read-write`, {
      poolSize: 1,
      onHostChosen: (h) => standbyFirst.push(h),
    });
    await writes.close();
    expect(standbyFirst).toEqual([host(pair.primary)]);

    await db.exec('create table acknowledged (n int primary key)');
    for (let n = 1; n <= 20; n++) await db.transaction((tx) => tx.query('insert into acknowledged values ($1)', [n]).then(() => undefined));

    const notices: string[] = [];
    await db.listen('failover_test', (payload) => notices.push(payload));
    await db.query(`select pg_notify('failover_test', 'before')`);
    await expect.poll(() => notices).toContain('before');

    // Cut mid-statement: the client cannot know whether it ran, so it is not retried but reported.
    const cut = db.query('select pg_sleep(20)').then(() => 'completed', (error: unknown) => error);
    await new Promise((r) => setTimeout(r, 200));
    await pair.stopPrimary('immediate');
    expect(await cut).toBeInstanceOf(EngineUnavailableError);

    // Issued while no server takes writes: it waits for the promotion instead of failing.
    const during = db.transaction((tx) => tx.query('insert into acknowledged values (21)')).then(() => 'committed', (error: unknown) => error);
    await new Promise((r) => setTimeout(r, 500));
    await pair.promoteStandby();
    expect(await during).toBe('committed');

    expect(chosen).toEqual([host(pair.primary), host(pair.standby)]);
    const { rows } = await db.query<{ count: number }>('select count(*)::int as count from acknowledged');
    expect(rows[0]!.count).toBe(21);

    // The listening connection came back on the new primary and said it may have missed notices.
    await expect.poll(() => notices, { timeout: 10_000 }).toContain('');
    await db.query(`select pg_notify('failover_test', 'after')`);
    await expect.poll(() => notices, { timeout: 10_000 }).toContain('after');

    // The read pool's standby is now the primary: `prefer-standby` falls back to it.
    await expect.poll(async () => (await reads.query<{ count: number }>('select count(*)::int as count from acknowledged')).rows[0]!.count, { timeout: 10_000 }).toBe(21);
  }, 90_000);

  it('answers EngineUnavailableError once no listed server fits within the wait', async () => {
    const nowhere = `postgres://postgres@127.0.0.1:${pair.primary.port}/postgres`;
    await expect(createPgDatabase(nowhere, { poolSize: 1, failoverWaitMs: 300 })).rejects.toBeInstanceOf(EngineUnavailableError);
    // The promoted server is writable, but a `standby` session wants a server in recovery: none is.
    await expect(createPgDatabase(pair.url('postgres', 'standby'), { poolSize: 1, failoverWaitMs: 300 })).rejects.toThrow(/No standby PostgreSQL/);
  }, 30_000);
});
