import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditModule, auditMigrations } from '../../src/modules/audit/index.ts';
import { migrate } from '../../src/shared/database/index.ts';
import type { AuditTrail } from '../../src/shared/audit/audit-trail.ts';
import { databaseEngines, type TestDatabase } from '../support/databases.ts';
import type { HttpServer } from '@shop/platform';
import { moduleServer } from '../support/module-harness.ts';
import { createTestAuthenticator } from '../support/test-authenticator.ts';

const ADMIN = { userId: randomUUID(), role: 'admin' };
const STAFF = { userId: randomUUID(), role: 'staff' };

describe.each(databaseEngines())('audit log on $name', ({ open, skip }) => {
  let database: TestDatabase;
  let trail: AuditTrail;
  let server: HttpServer;
  // Every entry gets the same instant, so the keyset must break ties by id to page correctly.
  const instant = new Date('2026-12-01T10:00:00Z');
  let now = instant;

  beforeAll(async () => {
    if (skip) return;
    database = await open();
    await migrate(database.db, [auditMigrations]);
    const module = createAuditModule({
      db: database.db,
      auth: createTestAuthenticator(),
      emailOf: async (id) => (id === ADMIN.userId ? 'admin@example.com' : null),
      now: () => now,
    });
    trail = module.api;
    server = await moduleServer(module);
  });
  afterAll(async () => {
    await server?.close();
    await database?.cleanup();
  });

  /** `GET /api/admin/audit?<query>` as an admin; `as=staff` or `as=anonymous` in the query changes the caller. */
  const read = async (query: string) => {
    const as = /(?:^|&)as=(\w+)/.exec(query)?.[1];
    const headers = as === 'anonymous' ? {} : { 'x-test-user': as === 'staff' ? STAFF.userId : ADMIN.userId, 'x-test-role': as ?? 'admin' };
    const res = await server.inject({ method: 'GET', url: `/api/admin/audit?${query}`, headers });
    return { status: res.statusCode, body: res.json() };
  };

  it.skipIf(skip)('records in the caller\'s transaction: a rolled-back action leaves no entry', async () => {
    const subject = { type: 'product', id: randomUUID() };
    await database.db.transaction((tx) => trail.record(tx, { actor: ADMIN, action: 'product.create', subject, before: null, after: { name: 'Kept' } }));
    await expect(
      database.db.transaction(async (tx) => {
        await trail.record(tx, { actor: ADMIN, action: 'product.update', subject, before: { name: 'Kept' }, after: { name: 'Lost' } });
        throw new Error('the action failed after recording');
      }),
    ).rejects.toThrow('the action failed');
    const { rows } = await database.db.query<{ action: string; before: unknown; after: unknown }>('select action, before, after from audit.entries where subject_id = $1', [subject.id]);
    expect(rows).toEqual([{ action: 'product.create', before: null, after: { name: 'Kept' } }]);
  });

  it.skipIf(skip)('refuses an action that is not <subject>.<verb>, rolling the caller back', async () => {
    await expect(database.db.transaction((tx) => trail.record(tx, { actor: ADMIN, action: 'Update Product', subject: { type: 'product', id: 'x' } }))).rejects.toThrow(
      'is not <subject>.<verb>',
    );
  });

  it.skipIf(skip)('pages newest first without gaps or repeats, and filters by subject, action prefix, actor and time', async () => {
    const subjectId = randomUUID();
    const recorded: string[] = [];
    for (let i = 0; i < 7; i++) {
      now = i < 5 ? instant : new Date(instant.getTime() + i * 60_000);
      const actor = i % 2 ? STAFF : ADMIN;
      const action = i % 3 === 0 ? 'variant.stock_adjust' : 'variant.update';
      await database.db.transaction((tx) => trail.record(tx, { actor, action, subject: { type: 'variant', id: subjectId }, summary: `step ${i}`, after: { step: i } }));
      recorded.push(`step ${i}`);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await read(`subjectId=${subjectId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.entries.map((e: { summary: string }) => e.summary));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect([...seen].sort()).toEqual([...recorded].sort());
    expect(seen.slice(0, 2)).toEqual(['step 6', 'step 5']);

    const adjustments = await read(`subjectId=${subjectId}&action=variant.stock_adjust`);
    expect(adjustments.body.entries.map((e: { summary: string }) => e.summary).sort()).toEqual(['step 0', 'step 3', 'step 6']);
    const byStaff = await read(`subjectId=${subjectId}&actor=${STAFF.userId}`);
    expect(byStaff.body.entries.map((e: { summary: string }) => e.summary).sort()).toEqual(['step 1', 'step 3', 'step 5']);
    const byPrefix = await read(`subjectId=${subjectId}&action=variant.`);
    expect(byPrefix.body.entries).toHaveLength(7);
    const later = await read(`subjectId=${subjectId}&from=${encodeURIComponent(new Date(instant.getTime() + 1).toISOString())}`);
    expect(later.body.entries.map((e: { summary: string }) => e.summary)).toEqual(['step 6', 'step 5']);
    const first = (await read(`subjectId=${subjectId}&limit=1`)).body.entries[0];
    expect(first.actor).toEqual({ id: ADMIN.userId, role: 'admin', email: 'admin@example.com' });
    expect(first.after).toEqual({ step: 6 });
  });

  it.skipIf(skip)('answers 400 for a cursor it did not write and for malformed filters, 401/403 for callers without audit.read', async () => {
    expect((await read('cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
    expect((await read('action=DROP%20TABLE')).status).toBe(400);
    expect((await read('from=yesterday')).status).toBe(400);
    expect((await read('limit=100000')).status).toBe(400);
    expect((await read('as=staff')).status).toBe(403);
    expect((await read('as=anonymous')).status).toBe(401);
  });
});
