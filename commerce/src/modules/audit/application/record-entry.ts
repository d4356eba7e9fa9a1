import type { Sql } from '../../../shared/database/database.ts';
import type { AuditRecord } from '../../../shared/audit/audit-trail.ts';
import { ACTION_PATTERN, boundedState } from '../domain/audit-entry.ts';
import type { AuditContext } from './audit.context.ts';

/** Writes one entry in the caller's transaction. A malformed action is a programming error, so it throws (and rolls the action back). */
export async function recordEntry(ctx: AuditContext, tx: Sql, record: AuditRecord): Promise<void> {
  if (!ACTION_PATTERN.test(record.action)) throw new Error(`audit action ${JSON.stringify(record.action)} is not <subject>.<verb>`);
  await ctx.entries.insert(tx, {
    id: ctx.newId(),
    actorId: record.actor.userId,
    actorRole: record.actor.role,
    action: record.action,
    subjectType: record.subject.type,
    subjectId: record.subject.id,
    summary: record.summary ?? '',
    before: boundedState(record.before),
    after: boundedState(record.after),
    createdAt: ctx.now(),
  });
}
