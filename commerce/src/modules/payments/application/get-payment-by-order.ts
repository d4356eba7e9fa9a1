import type { PaymentsContext } from './payments.context.ts';
import { toPaymentView, type PaymentView } from './payments.dto.ts';

export async function getPaymentByOrder(ctx: PaymentsContext, orderId: string): Promise<PaymentView | null> {
  const record = await ctx.payments.findPaymentByOrder(ctx.db, orderId);
  return record ? toPaymentView(record) : null;
}
