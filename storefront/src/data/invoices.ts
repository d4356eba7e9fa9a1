import type { paths } from '@shop/sdk';
import { okOrNull, type Shopper } from './shopper.ts';

export type OrderDocument = paths['/api/orders/{id}/invoices']['get']['responses'][200]['content']['application/json']['documents'][number];

const headersFor = (shopper: Shopper, orderToken: string | undefined) => ({ ...shopper.headers(), ...(orderToken ? { 'x-order-token': orderToken } : {}) });

/** The order's invoice and credit notes (empty before the payment is captured, or for someone else's order). */
export async function listDocuments(shopper: Shopper, orderId: string, orderToken?: string): Promise<OrderDocument[]> {
  const found = await okOrNull(shopper, shopper.client.GET('/api/orders/{id}/invoices', { params: { path: { id: orderId } }, headers: headersFor(shopper, orderToken) }));
  return found?.documents ?? [];
}

/** A document's PDF bytes, or `null` when the shopper may not have it. */
export async function documentPdf(shopper: Shopper, orderId: string, documentId: string, orderToken?: string): Promise<Buffer | null> {
  const { data, response } = await shopper.client.GET('/api/orders/{id}/invoices/{documentId}/pdf', {
    params: { path: { id: orderId, documentId } },
    headers: headersFor(shopper, orderToken),
    parseAs: 'arrayBuffer',
  });
  shopper.absorb(response);
  if (response.status === 404 || response.status === 400) return null;
  if (!response.ok) throw new Error(`document ${documentId}: ${response.status}`);
  return Buffer.from(data as unknown as ArrayBuffer);
}
