import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/shared/database/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { deliveryRows, FAST, newBus, OrderCreated, sharedEventsDatabase, waitFor } from './event-bus.fixtures.ts';

/** The same database, but transactions forget their commit callbacks: as if the process died right after COMMIT. */
const diesAfterCommit = (db: Database): Database => ({
  ...db,
  transaction: (work) => db.transaction((tx) => work({ ...tx, onCommit: () => undefined })),
});

const leaseRows = async (db: Database) =>
  (await db.query<{ status: string; attempts: number; locked_by: string | null }>('select status, attempts, locked_by from events.deliveries order by id')).rows;

describe.each(databaseEngines())('deliveries leased at publish on $name', (engine) => {
  const { skip } = engine;
  const shared = sharedEventsDatabase(engine);

  it.skipIf(skip)('are written leased to the publishing instance and handled after commit without a claim', async () => {
    const { db } = shared;
    const statements: string[] = [];
    const observed: Database = { ...db, query: (text, params) => (statements.push(text), db.query(text, params)) };
    const bus = newBus(observed, { ...FAST, pollIntervalMs: 60_000, instanceId: 'publisher' });
    const seen: string[] = [];
    bus.subscribe('a', OrderCreated, async (e) => void seen.push(e.payload.orderId));
    try {
      await bus.start();
      statements.splice(0);
      await db.transaction(async (tx) => {
        await bus.publish(tx, OrderCreated.create({ orderId: 'o1', totalMinor: 1 }));
        // Durable before anything runs: the row is there, leased, inside the publishing transaction.
        const { rows } = await tx.query<{ status: string; locked_by: string }>('select status, locked_by from events.deliveries');
        expect(rows).toEqual([{ status: 'processing', locked_by: 'publisher' }]);
      });
      await waitFor(async () => seen.length === 1 && (await deliveryRows(db))[0]?.status === 'done');
      expect(statements.filter((s) => s.includes('for update of d skip locked')), 'no claim').toEqual([]);
      expect(await leaseRows(db)).toEqual([{ status: 'done', attempts: 1, locked_by: null }]);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('are taken over by the poll when the publisher dies between commit and handling', async () => {
    const { db } = shared;
    const bus = newBus(db, { ...FAST, leaseMs: 300, instanceId: 'survivor' });
    const seen: number[] = [];
    bus.subscribe('a', OrderCreated, async (_e, context) => void seen.push(context.attempt));
    try {
      await bus.start();
      await diesAfterCommit(db).transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'orphan', totalMinor: 1 })));
      expect(await leaseRows(db)).toEqual([{ status: 'processing', attempts: 1, locked_by: 'survivor' }]);
      await waitFor(async () => (await deliveryRows(db))[0]?.status === 'done');
      // The crashed attempt counts: the takeover is attempt 2, and it ran once.
      expect(seen).toEqual([2]);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('that have not started when the instance stops are given back, uncounted, for another instance', async () => {
    const { db } = shared;
    const first = newBus(db, { ...FAST, concurrency: 1, instanceId: 'first' });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handledBy: string[] = [];
    first.subscribe('a', OrderCreated, async (e) => {
      await gate;
      handledBy.push(`first:${e.payload.orderId}`);
    });
    await first.start();
    await db.transaction((tx) =>
      first.publish(tx, ['x', 'y', 'z'].map((orderId) => OrderCreated.create({ orderId, totalMinor: 1 }))),
    );
    await waitFor(async () => (await leaseRows(db)).length === 3);
    const stopping = first.stop();
    release();
    await stopping;
    // One was running and finished; the two waiting for a slot are pending again with no attempt used.
    expect((await leaseRows(db)).map((r) => [r.status, r.attempts, r.locked_by]).sort()).toEqual([
      ['done', 1, null],
      ['pending', 0, null],
      ['pending', 0, null],
    ]);
    const second = newBus(db, { ...FAST, instanceId: 'second' });
    second.subscribe('a', OrderCreated, async (e) => void handledBy.push(`second:${e.payload.orderId}`));
    try {
      await second.start();
      await waitFor(async () => (await deliveryRows(db)).every((d) => d.status === 'done'));
      expect(handledBy).toHaveLength(3);
      expect(new Set(handledBy.map((h) => h.split(':')[1]))).toEqual(new Set(['x', 'y', 'z']));
    } finally {
      await second.stop();
    }
  });

  it.skipIf(skip)('a handler that fails after its once() committed is retried, and the inbox skips the committed part', async () => {
    const { db } = shared;
    const bus = newBus(db);
    let effects = 0;
    const attempts: Array<{ attempt: number; fresh: boolean }> = [];
    bus.subscribe('a', OrderCreated, async (_e, context) => {
      const fresh = await context.once(async () => void effects++);
      attempts.push({ attempt: context.attempt, fresh });
      if (context.attempt === 1) throw new Error('failed after the effect committed');
    });
    try {
      await bus.start();
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o2', totalMinor: 1 })));
      await waitFor(async () => attempts.length === 2 && (await deliveryRows(db))[0]?.status === 'done');
      expect(attempts).toEqual([
        { attempt: 1, fresh: true },
        { attempt: 2, fresh: false },
      ]);
      expect(effects).toBe(1);
    } finally {
      await bus.stop();
    }
  });
});
