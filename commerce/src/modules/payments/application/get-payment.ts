import { findPaymentById, findPaymentByOrder, listPayments } from '../infrastructure/payment.repository.ts';
import type { PaymentsContext } from './payments.context.ts';
import { toPaymentView, type PaymentView } from './payments.dto.ts';

export async function getPayment(ctx: PaymentsContext, id: string): Promise<PaymentView | null> {
  const record = await findPaymentById(ctx.db, id);
  return record ? toPaymentView(record) : null;
}

export async function getPaymentByOrder(ctx: PaymentsContext, orderId: string): Promise<PaymentView | null> {
  const record = await findPaymentByOrder(ctx.db, orderId);
  return record ? toPaymentView(record) : null;
}

/** Newest first; `orderId` narrows to one order's payment. */
export async function findPayments(ctx: PaymentsContext, filter: { orderId?: string | undefined; limit: number }): Promise<PaymentView[]> {
  return (await listPayments(ctx.db, filter)).map(toPaymentView);
}
