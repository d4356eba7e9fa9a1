import { createHash, timingSafeEqual } from 'node:crypto';

/** Who asks about a payment: a signed-in user (maybe an admin) and/or a guest's order token. */
export interface PaymentViewer {
  userId: string | null;
  admin: boolean;
  orderToken: string | null;
}

/** The same rule as reading the order: its customer, an admin, or a guest holding the order's token. */
export function mayView(owner: { userId: string | null; accessTokenHash: string | null }, viewer: PaymentViewer): boolean {
  if (viewer.admin) return true;
  if (viewer.userId !== null && owner.userId === viewer.userId) return true;
  if (viewer.orderToken === null || owner.accessTokenHash === null) return false;
  const given = createHash('sha256').update(viewer.orderToken).digest();
  const stored = Buffer.from(owner.accessTokenHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
