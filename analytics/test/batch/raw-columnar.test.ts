import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { goalReport, openDuckDb, retentionReport, runBatch, type DuckDbEngine, type LakeStore } from '../../src/batch/index.ts';
import { rawEventsSql } from '../../src/batch/raw-events.ts';
import { writeRaw } from './batch.fixture.ts';
import { askAll, columnarLake, DAY, FIRST, GOALS, NOW, removeVisitor } from './raw-columnar.fixture.ts';

const range = { tenantId: 'acme', from: FIRST, to: NOW };

const copiesRead = async (lake: LakeStore) => {
  const source = await rawEventsSql(lake, 'acme', FIRST, NOW);
  await source?.release();
  return source?.copies ?? 0;
};

describe('raw-event questions over the columnar copies', () => {
  let engine: DuckDbEngine;
  let connection: DuckDBConnection;
  let dir: string;
  beforeAll(async () => {
    engine = await openDuckDb({ threads: 2 });
    connection = await engine.connect();
    dir = await mkdtemp(join(tmpdir(), 'raw-columnar-'));
  });
  afterAll(async () => {
    connection.closeSync();
    engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers as from the NDJSON once the batch compacted the closed days, reads today and late objects from NDJSON, and drops copies an erasure settled after', { timeout: 120_000 }, async () => {
    const { lake, events } = await columnarLake(dir);
    const fromNdjson = await askAll(connection, lake);
    expect(await copiesRead(lake)).toBe(0);
    expect(fromNdjson.answers.goals[0]!.conversions).toBeGreaterThan(0);
    expect(fromNdjson.answers.filtered.total).toBeGreaterThan(0);
    expect(fromNdjson.answers.goalsBy[0]!.visitors).toBeGreaterThan(0);
    // Every pro sign-up comes from GB here: the same converting visitors, over fewer visitors.
    expect(fromNdjson.answers.goalsBy[0]!.rate).toBeGreaterThan(fromNdjson.answers.goals[0]!.rate);
    expect(fromNdjson.answers.retentionBy[0]!.size).toBeLessThan(fromNdjson.answers.retention[0]!.size);

    await runBatch({ lake, tenants: ['acme'], now: NOW });
    // The three closed days from their copies, today from its NDJSON: the same answers, as fresh.
    expect(await copiesRead(lake)).toBe(3);
    const fromCopies = await askAll(connection, lake);
    expect(fromCopies.answers).toEqual(fromNdjson.answers);
    expect(fromCopies.freshness).toEqual(fromNdjson.freshness);
    expect(fromCopies.freshness[3]!.through).toBe(events.at(-1)!.receivedAt);

    // A late object for the second day: that day reads its NDJSON again, with the late event.
    const lateAt = new Date(FIRST + DAY + 3_600_000).toISOString();
    await writeRaw(dir, [{ ...events[9]!, messageId: 'late', timestamp: lateAt, receivedAt: new Date(NOW - 1000).toISOString(), isBot: false }], { partition: 7 });
    expect(await copiesRead(lake)).toBe(2);
    const late = await goalReport(connection, lake, range, GOALS);
    expect(late.result.map((g) => g.conversions)).toEqual([fromNdjson.answers.goals[0]!.conversions + (events[9]!.properties?.plan === 'pro' ? 1 : 0), fromNdjson.answers.goals[1]!.conversions]);
    expect(late.freshness.through).toBe(new Date(NOW - 1000).toISOString());

    // An erasure rewrites the NDJSON in place (same keys) and settles: no copy compacted before may be read.
    await removeVisitor(dir, 'a0');
    await lake.put('erasures/tenant=acme/r1.json', Buffer.from(JSON.stringify({ status: 'done', rewrittenAt: new Date(NOW).toISOString() })));
    expect(await copiesRead(lake)).toBe(0);
    const erased = await retentionReport(connection, lake, range, 'day');
    expect(erased.result[0]!.size).toBe(fromNdjson.answers.retention[0]!.size - 1);
    // The batch compacts again from the rewritten objects, and the copies serve the same answers.
    await runBatch({ lake, tenants: ['acme'], now: NOW, from: new Date(FIRST).toISOString().slice(0, 10), to: new Date(FIRST + 2 * DAY).toISOString().slice(0, 10) });
    expect(await copiesRead(lake)).toBe(3);
    expect((await retentionReport(connection, lake, range, 'day')).result).toEqual(erased.result);
  });
});
