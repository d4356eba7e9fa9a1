import { randomUUID } from 'node:crypto';
import type { Database } from '../../shared/database/index.ts';
import type { AuditTrail } from '../../shared/audit/audit-trail.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { auditRoutes } from './api/audit.routes.ts';
import type { AuditContext } from './application/audit.context.ts';
import { recordEntry } from './application/record-entry.ts';
import { auditEntryRepository } from './infrastructure/audit-entry.repository.ts';
import { auditMigrations } from './infrastructure/audit.migrations.ts';

export interface AuditModuleDeps {
  db: Database;
  auth: Authenticator;
  /** Who an actor is, for readers of the log (the users module's getUser). */
  emailOf: (userId: string) => Promise<string | null>;
  now?: () => Date;
  newId?: () => string;
}

/**
 * The audit log of back-office actions, in the `audit` schema. Other modules receive its `api`
 * (an AuditTrail) from the composition root and record in their own transaction; admins read the
 * log at `GET /api/admin/audit`.
 *
 * @example
 * const audit = createAuditModule({ db, auth, emailOf: async (id) => (await users.api.getUser(id))?.email ?? null });
 * const catalog = createCatalogModule({ db, auth, audit: audit.api, logger });
 */
export function createAuditModule(deps: AuditModuleDeps): CommerceModule<AuditTrail> {
  const ctx: AuditContext = {
    db: deps.db,
    entries: auditEntryRepository,
    emailOf: deps.emailOf,
    now: deps.now ?? (() => new Date()),
    newId: deps.newId ?? randomUUID,
  };
  return {
    name: 'audit',
    api: { record: (tx, entry) => recordEntry(ctx, tx, entry) },
    migrations: auditMigrations,
    routes: (app) => auditRoutes(app, ctx, deps.auth),
  };
}
