/**
 * What other modules know about an order, for the admin's order detail. The composition root
 * implements it with their public APIs (payments, shipping, notifications); orders never reads
 * their tables. Each view is the small part the detail shows.
 */
export interface OrderActivity {
  /** null when payments has no record here (not charged yet, or payments runs in its own process). */
  paymentOf(orderId: string): Promise<OrderPaymentView | null>;
  shipmentsOf(orderId: string): Promise<OrderShipmentView[]>;
  emailsOf(orderId: string): Promise<OrderEmailView[]>;
}

export interface OrderPaymentView {
  id: string;
  state: string;
  amountMinor: number;
  capturedMinor: number;
  refundedMinor: number;
  currency: string;
  failureCode: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrderShipmentView {
  id: string;
  carrier: string;
  trackingNumber: string;
  labelUrl: string;
  status: string;
  createdAt: string;
  updatedAt: string;
}

export interface OrderEmailView {
  kind: string;
  to: string;
  subject: string;
  messageId: string;
  sentAt: string;
}

/** For apps and tests composed without the other modules: the detail then shows the order alone. */
export const NO_ACTIVITY: OrderActivity = {
  paymentOf: async () => null,
  shipmentsOf: async () => [],
  emailsOf: async () => [],
};
