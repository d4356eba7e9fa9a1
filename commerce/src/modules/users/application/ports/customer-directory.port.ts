/** A customer as the back office lists them. */
export interface CustomerRow {
  id: string;
  email: string;
  createdAt: Date;
  addressCount: number;
}

/** The admin's view of customers (role `customer`); reads only the `users` schema. */
export interface CustomerQueries {
  /**
   * Newest first, keyset paginated on (created_at, id); `search` matches part of the email,
   * case-insensitively.
   */
  list(filter: { search?: string | undefined; after?: { createdAt: Date; id: string } | undefined; limit: number }): Promise<CustomerRow[]>;
  find(id: string): Promise<CustomerRow | null>;
}

/** A customer's orders, which the orders module keeps; the composition root wires it to orders' API. */
export interface CustomerOrders {
  ordersOfCustomer(userId: string, limit: number): Promise<
    Array<{ id: string; orderNumber: string; status: string; currency: string; totalMinor: number; createdAt: string }>
  >;
}
