import { mayView, type PaymentViewer } from '../domain/payment-viewer.ts';
import type { PaymentsContext } from './payments.context.ts';
import { toPaymentView, type PaymentView } from './payments.dto.ts';

/**
 * The order's payment. With a viewer, only its customer, an admin or a guest holding the order token
 * sees it; anyone else gets `null`, as for an unknown order, so order ids cannot be probed.
 * Without one (another module in the same process), the payment as it is.
 */
export async function getPaymentByOrder(ctx: PaymentsContext, orderId: string, viewer?: PaymentViewer): Promise<PaymentView | null> {
  const record = await ctx.payments.findPaymentByOrder(ctx.db, orderId);
  if (!record || (viewer && !mayView(record.owner, viewer))) return null;
  return toPaymentView(record);
}
