import type { Sql } from '../../../shared/database/database.ts';
import type { AuditEntryRepository } from '../application/ports/audit-entry.repository.ts';
import type { AuditEntry } from '../domain/audit-entry.ts';

interface Row {
  id: string;
  actor_id: string;
  actor_role: string;
  action: string;
  subject_type: string;
  subject_id: string;
  summary: string;
  before: unknown;
  after: unknown;
  created_at: Date | string;
}

const toEntry = (r: Row): AuditEntry => ({
  id: r.id,
  actorId: r.actor_id,
  actorRole: r.actor_role,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  summary: r.summary,
  before: r.before,
  after: r.after,
  createdAt: new Date(r.created_at),
});

export const auditEntryRepository: AuditEntryRepository = {
  async insert(tx, e) {
    await tx.query(
      `insert into audit.entries (id, actor_id, actor_role, action, subject_type, subject_id, summary, before, after, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [e.id, e.actorId, e.actorRole, e.action, e.subjectType, e.subjectId, e.summary, JSON.stringify(e.before), JSON.stringify(e.after), e.createdAt],
    );
  },
  async list(db: Sql, filter, after, limit) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(clause(`$${params.length}`));
    };
    if (filter.actorId) add((p) => `actor_id = ${p}`, filter.actorId);
    if (filter.action?.endsWith('.')) add((p) => `starts_with(action, ${p})`, filter.action);
    else if (filter.action) add((p) => `action = ${p}`, filter.action);
    if (filter.subjectType) add((p) => `subject_type = ${p}`, filter.subjectType);
    if (filter.subjectId) add((p) => `subject_id = ${p}`, filter.subjectId);
    if (filter.from) add((p) => `created_at >= ${p}`, filter.from);
    if (filter.to) add((p) => `created_at < ${p}`, filter.to);
    if (after) {
      params.push(after.createdAt, after.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(limit + 1);
    const { rows } = await db.query<Row>(
      `select * from audit.entries ${where.length ? `where ${where.join(' and ')}` : ''}
       order by created_at desc, id desc limit $${params.length}`,
      params,
    );
    return rows.map(toEntry);
  },
};
