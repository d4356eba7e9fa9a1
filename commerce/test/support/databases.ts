import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { freePort, realEngine } from '@shop/platform/testing';
import { createPgDatabase, createPgliteDatabase, type Database, type QueryObserver } from '../../src/shared/database/index.ts';
import { pgliteImage } from './pglite-image.ts';

export interface TestDatabase {
  db: Database;
  /** Connection URL, for engines a second process can reach (real PostgreSQL only). */
  url?: string;
  /** Closes the connection and drops what the test created. */
  cleanup: () => Promise<void>;
}

export interface DatabaseEngine {
  name: 'pglite' | 'postgres' | 'postgres behind a host list';
  skip: boolean;
  open: (observe?: QueryObserver) => Promise<TestDatabase>;
}

const postgres = await realEngine('postgres');

/**
 * Both database engines, for `describe.each`: an in-memory PGlite, and a throwaway
 * database on the real PostgreSQL (created from `test`, dropped afterwards) so
 * tests never see each other's schemas.
 *
 * @example
 * describe.each(databaseEngines())('catalog on $name', ({ open, skip }) => { ... })
 */
export function databaseEngines(): DatabaseEngine[] {
  return [
    {
      name: 'pglite',
      skip: false,
      open: async (observe) => {
        const db = await createPgliteDatabase(undefined, observe, { loadDataDir: await pgliteImage() });
        return { db, cleanup: () => db.close().catch(() => undefined) };
      },
    },
    {
      name: 'postgres',
      skip: !postgres.available,
      open: async (observe) => {
        const name = `t_${randomUUID().replaceAll('-', '')}`;
        const admin = new pg.Client({ connectionString: postgres.url });
        await admin.connect();
        await admin.query(`create database ${name}`);
        await admin.end();
        const url = new URL(postgres.url);
        url.pathname = `/${name}`;
        const db = await createPgDatabase(url.toString(), 10, observe);
        return {
          db,
          url: url.toString(),
          cleanup: async () => {
            await db.close();
            const dropper = new pg.Client({ connectionString: postgres.url });
            await dropper.connect();
            await dropper.query(`drop database if exists ${name} with (force)`);
            await dropper.end();
          },
        };
      },
    },
  ];
}

/**
 * The real PostgreSQL reached through a libpq-style host list whose first host is down
 * (`postgres://...@127.0.0.1:<closed>,<real>/db?target_session_attrs=read-write`): the port's
 * contract run through the adapter's host choosing. For the database port's own suite; the
 * module suites use `databaseEngines()`.
 */
export function hostListEngine(): DatabaseEngine {
  const real = databaseEngines()[1]!;
  return {
    name: 'postgres behind a host list',
    skip: real.skip,
    open: async (observe) => {
      // Its own pool stays open until cleanup, which closes it and drops the database.
      const opened = await real.open();
      const url = new URL(opened.url!);
      const closed = await freePort();
      const list = `postgres://${url.username}@127.0.0.1:${closed},${url.host}${url.pathname}?target_session_attrs=read-write`;
      const db = await createPgDatabase(list, { poolSize: 4, observe });
      return {
        db,
        url: list,
        cleanup: async () => {
          await db.close();
          await opened.cleanup();
        },
      };
    },
  };
}
