import type { AuditEntry, AuditFilter } from '../domain/audit-entry.ts';
import type { AuditContext } from './audit.context.ts';
import type { AuditCursor } from './ports/audit-entry.repository.ts';

export interface AuditPage {
  entries: (AuditEntry & { actorEmail: string | null })[];
  nextCursor: string | null;
}

export const encodeCursor = (c: AuditCursor): string => Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');

/** null for anything that is not a cursor this module wrote. */
export function decodeCursor(text: string): AuditCursor | null {
  const [at, id] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? '')) return null;
  return { createdAt, id: id! };
}

/** One page of the log, newest first, with each actor's email for the reader. */
export async function listEntries(ctx: AuditContext, filter: AuditFilter, cursor: AuditCursor | null, limit: number): Promise<AuditPage> {
  const rows = await ctx.entries.list(ctx.db, filter, cursor, limit);
  const page = rows.slice(0, limit);
  const emails = new Map<string, string | null>();
  for (const id of new Set(page.map((e) => e.actorId))) emails.set(id, await ctx.emailOf(id).catch(() => null));
  const last = page.at(-1);
  return {
    entries: page.map((e) => ({ ...e, actorEmail: emails.get(e.actorId) ?? null })),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}
