import type { PaymentsContext } from './payments.context.ts';
import { toPaymentView, type PaymentView } from './payments.dto.ts';

export async function getPayment(ctx: PaymentsContext, id: string): Promise<PaymentView | null> {
  const record = await ctx.payments.findPaymentById(ctx.db, id);
  return record ? toPaymentView(record) : null;
}
