import { describe, expect, it } from 'vitest';
import { createPgDatabase, type Database } from '../../src/shared/database/index.ts';
import type { EventBus } from '../../src/shared/events/index.ts';
import { databaseEngines } from '../support/databases.ts';
import { newBus, OrderCreated, sharedEventsDatabase, waitFor } from './event-bus.fixtures.ts';

describe.each(databaseEngines())('two bus instances on one $name database', (engine) => {
  const shared = sharedEventsDatabase(engine);

  it.skipIf(engine.skip)('handle every (event, subscriber) of 200 events exactly once', async () => {
    // On Postgres the second instance has its own pool, as a second process would; PGlite has one connection.
    const second: Database = shared.url ? await createPgDatabase(shared.url, 5) : shared.db;
    const handled = new Map<string, string[]>();
    const instance = (db: Database, name: string): EventBus => {
      const bus = newBus(db, { pollIntervalMs: 50, concurrency: 4, instanceId: name });
      for (const subscriber of ['a', 'b']) {
        bus.subscribe(subscriber, OrderCreated, async (event) => {
          const key = `${subscriber}:${event.id}`;
          handled.set(key, [...(handled.get(key) ?? []), name]);
          // Yield so the two instances' claims interleave instead of one draining everything.
          await new Promise((r) => setImmediate(r));
        });
      }
      return bus;
    };
    const buses = [instance(shared.db, 'one'), instance(second, 'two')];
    try {
      await Promise.all(buses.map((b) => b.start()));
      for (let batch = 0; batch < 10; batch++) {
        await shared.db.transaction((tx) =>
          bus0(buses).publish(
            tx,
            Array.from({ length: 20 }, (_, i) => OrderCreated.create({ orderId: `${batch}-${i}`, totalMinor: i })),
          ),
        );
      }
      await waitFor(async () => {
        const { rows } = await shared.db.query<{ n: number }>(`select count(*)::int as n from events.deliveries where status = 'done'`);
        return rows[0]?.n === 400;
      });
      expect(handled.size).toBe(400);
      const duplicates = [...handled].filter(([, by]) => by.length !== 1);
      expect(duplicates).toEqual([]);
      const { rows } = await shared.db.query<{ locked_by_none: number; max_attempts: number }>(
        `select count(*) filter (where locked_by is null)::int as locked_by_none, max(attempts)::int as max_attempts from events.deliveries`,
      );
      expect(rows[0]).toEqual({ locked_by_none: 400, max_attempts: 1 });
      const byInstance = [...handled.values()].reduce<Record<string, number>>((acc, [by]) => ({ ...acc, [by!]: (acc[by!] ?? 0) + 1 }), {});
      console.log(`two instances on ${engine.name}: handled per instance`, byInstance);
    } finally {
      await Promise.all(buses.map((b) => b.stop()));
      if (second !== shared.db) await second.close();
    }
  });
});

const bus0 = (buses: EventBus[]): EventBus => buses[0] as EventBus;
