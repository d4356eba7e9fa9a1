import type { Sql } from '../../../../shared/database/database.ts';
import type { Promotion } from '../../domain/promotion.ts';

export interface NewPromotion {
  code: string | null;
  name: string;
  kind: Promotion['kind'];
  value: number;
  currency: string | null;
  minSubtotalMinor: number;
  startsAt: Date | null;
  endsAt: Date | null;
  usageLimit: number | null;
  perCustomerLimit: number | null;
}

export interface RedemptionRequest {
  orderId: string;
  customerKey: string;
  currency: string;
  uses: { promotionId: string; amountMinor: number }[];
  at: Date;
}

/** Which promotion could not be counted (none left, or this customer's limit reached), or null: all counted. */
export type RedemptionRefusal = { promotionId: string; reason: 'USED_UP' | 'CUSTOMER_LIMIT' } | null;

export interface PromotionRepository {
  /** The promotion with `code` (any state) and every automatic promotion not disabled or ended, with the customer's uses. */
  candidates(sql: Sql, code: string | null, customerKey: string | null, now: Date): Promise<{ promotions: Promotion[]; customerUses: Map<string, number> }>;
  /** Every automatic promotion not disabled or ended. */
  automatic(sql: Sql, now: Date): Promise<Promotion[]>;
  /** Counts the uses inside the caller's transaction, all or nothing as far as the caller rolls back on a refusal. */
  redeem(tx: Sql, request: RedemptionRequest): Promise<RedemptionRefusal>;
  insert(sql: Sql, id: string, p: NewPromotion, now: Date): Promise<'created' | 'code_taken'>;
  list(sql: Sql, limit: number): Promise<Promotion[]>;
  disable(sql: Sql, id: string, now: Date): Promise<Promotion | null>;
}
