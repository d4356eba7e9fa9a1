import { describe, expect, it } from 'vitest';
import { databaseEngines } from '../support/databases.ts';
import { deliveryRows, FAST, newBus, OrderCreated, sharedEventsDatabase, waitFor } from './event-bus.fixtures.ts';

describe.each(databaseEngines())('event bus on $name', (engine) => {
  const { skip } = engine;
  const shared = sharedEventsDatabase(engine);

  it.skipIf(skip)('delivers a committed event once to each subscriber and never a rolled-back one', async () => {
    const { db } = shared;
    const bus = newBus(db);
    const seen: string[] = [];
    bus.subscribe('a', OrderCreated, async (e) => void seen.push(`a:${e.payload.orderId}`));
    bus.subscribe('b', OrderCreated, async (e) => void seen.push(`b:${e.payload.orderId}`));
    try {
      await bus.start();
      await expect(
        db.transaction(async (tx) => {
          await bus.publish(tx, OrderCreated.create({ orderId: 'rolled-back', totalMinor: 1 }));
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'committed', totalMinor: 2 })));
      await waitFor(async () => (await deliveryRows(db)).every((d) => d.status === 'done') && seen.length === 2);
      expect(seen.sort()).toEqual(['a:committed', 'b:committed']);
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from events.outbox');
      expect(rows[0]?.n).toBe(1);
      expect((await deliveryRows(db)).map((d) => [d.subscriber, d.status, d.attempts])).toEqual([
        ['a', 'done', 1],
        ['b', 'done', 1],
      ]);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('publishing the same event id twice stores and delivers it once', async () => {
    const { db } = shared;
    const bus = newBus(db);
    let calls = 0;
    bus.subscribe('a', OrderCreated, async () => void calls++);
    try {
      await bus.start();
      const event = OrderCreated.create({ orderId: 'o1', totalMinor: 1 });
      expect(await db.transaction((tx) => bus.publish(tx, event))).toBe(1);
      expect(await db.transaction((tx) => bus.publish(tx, [event]))).toBe(0);
      await waitFor(async () => (await deliveryRows(db))[0]?.status === 'done');
      expect(calls).toBe(1);
      expect(await deliveryRows(db)).toHaveLength(1);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('retries a failing subscriber with back-off and leaves the other alone', async () => {
    const { db } = shared;
    const bus = newBus(db);
    const flakyAttempts: number[] = [];
    let steadyCalls = 0;
    bus.subscribe('flaky', OrderCreated, async (_e, ctx) => {
      flakyAttempts.push(ctx.attempt);
      if (ctx.attempt < 3) throw new Error(`boom ${ctx.attempt}`);
    });
    bus.subscribe('steady', OrderCreated, async () => void steadyCalls++);
    try {
      await bus.start();
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o1', totalMinor: 1 })));
      const rows = await waitFor(async () => {
        const r = await deliveryRows(db);
        return r.length === 2 && r.every((d) => d.status === 'done') ? r : undefined;
      });
      expect(flakyAttempts).toEqual([1, 2, 3]);
      expect(steadyCalls).toBe(1);
      const flaky = rows.find((d) => d.subscriber === 'flaky');
      const steady = rows.find((d) => d.subscriber === 'steady');
      expect([flaky?.attempts, flaky?.last_error?.split('\n')[0]]).toEqual([3, 'Error: boom 2']);
      expect([steady?.attempts, steady?.last_error]).toEqual([1, null]);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('dead-letters after max attempts and a replay delivers it', async () => {
    const { db } = shared;
    const bus = newBus(db);
    let healthy = false;
    let calls = 0;
    bus.subscribe(
      'fragile',
      OrderCreated,
      async () => {
        calls++;
        if (!healthy) throw new Error('downstream is down');
      },
      { retry: { maxAttempts: 2 } },
    );
    try {
      await bus.start();
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o1', totalMinor: 1 })));
      const dead = await waitFor(async () => (await bus.admin.listDeliveries({ status: 'dead' }))[0]);
      expect([dead.attempts, calls]).toEqual([2, 2]);
      expect(dead.lastError).toContain('downstream is down');

      healthy = true;
      const replayed = await bus.admin.replay(dead.id);
      expect(replayed.ok).toBe(true);
      await waitFor(async () => (await deliveryRows(db))[0]?.status === 'done');
      expect(calls).toBe(3);
      expect(await bus.admin.replay(dead.id)).toEqual({ ok: false, code: 'NOT_DEAD' });
      expect(await bus.admin.replay(999_999)).toEqual({ ok: false, code: 'NOT_FOUND' });
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('a redelivered event has one effect through the inbox', async () => {
    const { db } = shared;
    const bus = newBus(db);
    await db.exec('create schema shop; create table shop.effects (order_id text not null, n int not null)');
    const handled: boolean[] = [];
    bus.subscribe('effects', OrderCreated, async (e, ctx) => {
      handled.push(
        await ctx.once(async (tx) => {
          await tx.query('insert into shop.effects values ($1, 1)', [e.payload.orderId]);
        }),
      );
    });
    try {
      await bus.start();
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o1', totalMinor: 1 })));
      await waitFor(async () => (await deliveryRows(db))[0]?.status === 'done');
      // What a crash between the effect's commit and the delivery's "done" looks like.
      await db.query(`update events.deliveries set status = 'pending', next_attempt_at = now()`);
      await waitFor(async () => handled.length === 2 && (await deliveryRows(db))[0]?.status === 'done');
      expect(handled).toEqual([true, false]);
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from shop.effects');
      expect(rows[0]?.n).toBe(1);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('takes over a delivery whose lease expired, but not one still leased', async () => {
    const { db } = shared;
    const bus = newBus(db);
    const attempts: Record<string, number[]> = {};
    bus.subscribe('a', OrderCreated, async (e, ctx) => {
      (attempts[e.payload.orderId] ??= []).push(ctx.attempt);
    });
    try {
      await bus.start();
      await db.transaction((tx) =>
        bus.publish(tx, [OrderCreated.create({ orderId: 'stale', totalMinor: 1 }), OrderCreated.create({ orderId: 'leased', totalMinor: 1 })]),
      );
      await waitFor(async () => (await deliveryRows(db)).every((d) => d.status === 'done') && Object.keys(attempts).length === 2);
      // Another instance claimed both and crashed; one lease has run out, the other has not.
      await db.query(
        `update events.deliveries d set status = 'processing', locked_by = 'crashed', attempts = 1,
                locked_until = case o.payload->>'orderId' when 'stale' then now() - interval '1 second' else now() + interval '1 hour' end
           from events.outbox o where o.id = d.event_id`,
      );
      const byOrderNow = async () => {
        const { rows } = await db.query<{ order_id: string; status: string; attempts: number; locked_by: string | null }>(
          `select o.payload->>'orderId' as order_id, d.status, d.attempts, d.locked_by
             from events.deliveries d join events.outbox o on o.id = d.event_id order by d.id`,
        );
        return Object.fromEntries(rows.map((r) => [r.order_id, [r.status, r.attempts, r.locked_by]]));
      };
      await waitFor(async () => (await byOrderNow()).stale?.[0] === 'done');
      // A later event being handled proves the dispatcher claimed again after the takeover.
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'later', totalMinor: 1 })));
      const byOrder = await waitFor(async () => {
        const now = await byOrderNow();
        return now.later?.[0] === 'done' ? now : undefined;
      });
      expect(byOrder).toEqual({
        stale: ['done', 2, null],
        leased: ['processing', 1, 'crashed'],
        later: ['done', 1, null],
      });
      expect(attempts.stale).toEqual([1, 2]);
      expect(attempts.leased).toEqual([1]);
    } finally {
      await bus.stop();
    }
  });

  it.skipIf(skip)('stop() waits for an in-flight handler and records its outcome', async () => {
    const { db } = shared;
    const bus = newBus(db);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered = false;
    bus.subscribe('slow', OrderCreated, async () => {
      entered = true;
      await gate;
    });
    try {
      await bus.start();
      await db.transaction((tx) => bus.publish(tx, OrderCreated.create({ orderId: 'o1', totalMinor: 1 })));
      await waitFor(() => entered);
      let stopped = false;
      const stopping = bus.stop().then(() => (stopped = true));
      await new Promise((r) => setTimeout(r, 100));
      expect(stopped).toBe(false);
      release();
      await stopping;
      expect((await deliveryRows(db))[0]?.status).toBe('done');
    } finally {
      release();
      await bus.stop();
    }
  });

  it.skipIf(skip)('dead-letters an event that does not match its schema without retrying', async () => {
    const { db } = shared;
    const bus = newBus(db, { ...FAST, retry: { ...FAST.retry, maxAttempts: 5 } });
    let calls = 0;
    bus.subscribe('a', OrderCreated, async () => void calls++);
    try {
      await bus.start();
      const bad = { ...OrderCreated.create({ orderId: 'o1', totalMinor: 1 }), payload: { orderId: 'o1', totalMinor: 'ten' } };
      await db.transaction((tx) => bus.publish(tx, bad));
      const dead = await waitFor(async () => (await bus.admin.listDeliveries({ status: 'dead' }))[0]);
      expect([dead.attempts, calls]).toEqual([1, 0]);
    } finally {
      await bus.stop();
    }
  });
});
