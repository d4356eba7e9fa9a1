import { expectOk, type Staff } from './staff.ts';

export interface OrderFilters {
  status?: string | undefined;
  email?: string | undefined;
  number?: string | undefined;
  customerId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
}

/** A page of orders, newest first, filtered on the server (keyset cursor). */
export async function listOrders(staff: Staff, filters: OrderFilters, limit = 25) {
  return expectOk(staff, staff.client.GET('/api/admin/orders', { params: { query: { ...filters, limit } as never }, headers: staff.headers() }));
}

export async function getAdminOrder(staff: Staff, id: string) {
  return expectOk(staff, staff.client.GET('/api/admin/orders/{id}', { params: { path: { id } }, headers: staff.headers() }));
}

export type AdminOrder = Awaited<ReturnType<typeof getAdminOrder>>;

export async function cancelOrder(staff: Staff, id: string) {
  return expectOk(staff, staff.client.POST('/api/admin/orders/{id}/cancel', { params: { path: { id } }, headers: staff.headers(true) }));
}

export type RefundInput =
  | { full: true; reason: string }
  | { lines: { variantId: string; quantity: number }[]; shipping?: boolean; reason: string }
  | { amountMinor: number; reason: string };

/** `key` comes from the form, so a resubmitted form answers the first refund instead of making a second. */
export async function refundOrder(staff: Staff, id: string, input: RefundInput, key: string) {
  return expectOk(
    staff,
    staff.client.POST('/api/admin/orders/{id}/refunds', {
      params: { path: { id }, header: { 'idempotency-key': key } },
      body: input as never,
      headers: { ...staff.headers(true), 'idempotency-key': key },
    }),
  );
}

export async function resendConfirmation(staff: Staff, id: string, key: string) {
  return expectOk(
    staff,
    staff.client.POST('/api/admin/orders/{id}/confirmation-email', {
      params: { path: { id }, header: { 'idempotency-key': key } },
      headers: { ...staff.headers(true), 'idempotency-key': key },
    }),
  );
}
