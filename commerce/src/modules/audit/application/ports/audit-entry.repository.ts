import type { Sql } from '../../../../shared/database/database.ts';
import type { AuditEntry, AuditFilter } from '../../domain/audit-entry.ts';

/** Keyset position: entries strictly older than this one come next. */
export interface AuditCursor {
  createdAt: Date;
  id: string;
}

export interface AuditEntryRepository {
  insert(tx: Sql, entry: AuditEntry): Promise<void>;
  /** Newest first; `limit + 1` rows are read so the caller knows whether a next page exists. */
  list(db: Sql, filter: AuditFilter, after: AuditCursor | null, limit: number): Promise<AuditEntry[]>;
}
