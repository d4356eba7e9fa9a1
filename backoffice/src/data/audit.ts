import type { paths } from '@shop/sdk';
import { expectOk, type Staff } from './staff.ts';

export type AuditQuery = NonNullable<paths['/api/admin/audit']['get']['parameters']['query']>;
export type AuditEntry = paths['/api/admin/audit']['get']['responses'][200]['content']['application/json']['entries'][number];

export const listAudit = (staff: Staff, query: AuditQuery) =>
  expectOk(staff, staff.client.GET('/api/admin/audit', { params: { query }, headers: staff.headers() }));
