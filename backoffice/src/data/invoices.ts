import { expectOk, type Staff } from './staff.ts';

/** The order's invoice and credit notes, oldest first. */
export async function orderDocuments(staff: Staff, orderId: string) {
  return (await expectOk(staff, staff.client.GET('/api/admin/orders/{id}/invoices', { params: { path: { id: orderId } }, headers: staff.headers() }))).documents;
}

export type OrderDocument = Awaited<ReturnType<typeof orderDocuments>>[number];

/** A document's PDF bytes (null: no such document). */
export async function documentPdf(staff: Staff, documentId: string): Promise<Buffer | null> {
  const { data, response } = await staff.client.GET('/api/admin/invoices/{documentId}/pdf', { params: { path: { documentId } }, headers: staff.headers(), parseAs: 'arrayBuffer' });
  staff.absorb(response);
  if (response.status === 404 || response.status === 400) return null;
  if (!response.ok) throw new Error(`document ${documentId}: ${response.status}`);
  return Buffer.from(data as unknown as ArrayBuffer);
}
