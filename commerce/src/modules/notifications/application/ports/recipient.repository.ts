import type { Sql } from '../../../../shared/database/database.ts';
import type { OnceStatement } from '../../../../shared/events/index.ts';
import type { OrderConfirmationData } from '../../domain/order-confirmation.template.ts';

/** What later emails about an order need, copied from `OrderCreated` (modules share ids, not tables). */
export interface OrderRecipient {
  orderId: string;
  orderNumber: string;
  email: string;
  customerName: string;
  currency: string;
  totalMinor: number;
  /** A summary for support, e.g. `2 x Teapot`. */
  lines: Array<{ name: string; quantity: number }>;
  /** What the confirmation email shows, kept from `OrderCreated` until the payment completes. */
  confirmation: OrderConfirmationData | null;
}

export interface ShipmentLabel {
  orderId: string;
  carrier: string;
  trackingNumber: string;
}

export interface RecipientRepository {
  /** Keeps the first copy, as `completeInStatement` work: a second `OrderCreated` for one order changes nothing. */
  rememberStatement(recipient: OrderRecipient): OnceStatement;
  find(tx: Sql, orderId: string): Promise<OrderRecipient | null>;
  rememberLabel(tx: Sql, label: ShipmentLabel): Promise<void>;
  findLabel(tx: Sql, orderId: string): Promise<ShipmentLabel | null>;
}
