import type { Database } from '../../../shared/database/database.ts';
import type { AuditEntryRepository } from './ports/audit-entry.repository.ts';

export interface AuditContext {
  db: Database;
  entries: AuditEntryRepository;
  /** Who an actor id is, for the log's readers; null when unknown (a deleted user, a service token). */
  emailOf: (userId: string) => Promise<string | null>;
  now: () => Date;
  newId: () => string;
}
