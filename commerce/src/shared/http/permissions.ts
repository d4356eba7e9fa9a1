import type { Role } from './auth.ts';

/**
 * What a back-office role may do. Routes name the permission they need (see `guardPermission`);
 * roles are granted permissions here and nowhere else, so the API and the back office's screens
 * (which read the caller's permissions from `GET /api/me`) agree by construction.
 */
export const PERMISSIONS = [
  'dashboard.read',
  'catalog.read',
  'catalog.write',
  'catalog.stock',
  'orders.read',
  'orders.manage',
  'orders.refund',
  'shipments.manage',
  'customers.read',
  'audit.read',
  'operations.manage',
  'users.manage',
  'promotions.read',
  'promotions.write',
  'pricing.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Staff run orders and shipments; prices, refunds, the audit log and operations stay with admins. */
const STAFF: readonly Permission[] = [
  'dashboard.read',
  'catalog.read',
  'catalog.stock',
  'orders.read',
  'orders.manage',
  'shipments.manage',
  'customers.read',
  'promotions.read',
  'pricing.read',
];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  staff: new Set(STAFF),
  customer: new Set(),
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role]?.has(permission) ?? false;
}

/** In the order of PERMISSIONS, for `GET /api/me`. */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => can(role, p));
}

/** Roles that sign in to the back office. */
export const BACK_OFFICE_ROLES: readonly Role[] = ['admin', 'staff'];
