/** The promotions module's entry: its factory, its API for checkout and the pure stacking rule. */
export { createPromotionsModule, type PromotionsApi, type PromotionsModuleDeps, type RedeemInput, type RedeemResult } from './promotions.module.ts';
export { decidePromotions, type Basket, type PromotionDecision, type PromotionUse } from './domain/decide-promotions.ts';
export type { Promotion, PromotionKind, PromotionRefusal } from './domain/promotion.ts';
export { promotionsMigrations } from './infrastructure/promotions.migrations.ts';
