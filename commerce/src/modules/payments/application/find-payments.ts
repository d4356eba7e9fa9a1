import type { PaymentsContext } from './payments.context.ts';
import { toPaymentView, type PaymentView } from './payments.dto.ts';

/** Newest first; `orderId` narrows to one order's payment. */
export async function findPayments(ctx: PaymentsContext, filter: { orderId?: string | undefined; limit: number }): Promise<PaymentView[]> {
  return (await ctx.payments.listPayments(ctx.db, filter)).map(toPaymentView);
}
