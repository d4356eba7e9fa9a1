import { expectOk, type Staff } from './staff.ts';

/** A page of shipments, newest first (keyset cursor). */
export async function listShipments(staff: Staff, filters: { status?: string | undefined; cursor?: string | undefined }, limit = 50) {
  const query = { ...filters, limit } as never;
  return expectOk(staff, staff.client.GET('/api/admin/shipments', { params: { query }, headers: staff.headers() }));
}

export async function advanceShipment(staff: Staff, id: string, status: 'in_transit' | 'delivered') {
  return expectOk(staff, staff.client.POST('/api/admin/shipments/{id}/advance', { params: { path: { id } }, body: { status }, headers: staff.headers(true) }));
}

/** The label as SVG text (null: no such shipment), served again by the back office as an image of its own origin. */
export async function shipmentLabel(staff: Staff, id: string): Promise<string | null> {
  const { data, response } = await staff.client.GET('/api/admin/shipments/{id}/label', { params: { path: { id } }, headers: staff.headers(), parseAs: 'text' });
  staff.absorb(response);
  if (response.status === 404 || response.status === 400) return null;
  if (!response.ok) throw new Error(`label ${id}: ${response.status}`);
  return String(data ?? '');
}
