import { findPaymentById } from '../infrastructure/payment.repository.ts';
import type { PaymentsContext } from './payments.context.ts';
import { toPaymentView, type PaymentView } from './payments.dto.ts';

export async function getPayment(ctx: PaymentsContext, id: string): Promise<PaymentView | null> {
  const record = await findPaymentById(ctx.db, id);
  return record ? toPaymentView(record) : null;
}
