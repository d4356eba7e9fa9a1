import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../../../shared/http/auth.ts';
import type { PaymentViewer } from '../domain/payment-viewer.ts';

/** Who asks, as the request says: its session or bearer token, and a guest's `x-order-token`. */
export async function viewerOf(request: FastifyRequest, auth: Authenticator): Promise<PaymentViewer> {
  const principal = await auth.identify(request);
  const token = request.headers['x-order-token'];
  return {
    userId: principal?.userId ?? null,
    admin: principal?.role === 'admin',
    orderToken: typeof token === 'string' && token !== '' ? token : null,
  };
}
