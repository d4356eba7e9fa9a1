/**
 * The audit module's only entry. Modules do not import it: they receive its `api`, an
 * `AuditTrail` (shared/audit/audit-trail.ts), from the composition root.
 */
export { createAuditModule, type AuditModuleDeps } from './audit.module.ts';
export { auditMigrations } from './infrastructure/audit.migrations.ts';
