import { randomUUID } from 'node:crypto';
import type { Logger } from '@shop/platform';
import type { Database, Sql } from '../../shared/database/index.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { adminPromotionRoutes } from './api/admin-promotions.routes.ts';
import type { PromotionRepository } from './application/ports/promotion.repository.ts';
import type { PromotionsContext } from './application/promotions.context.ts';
import { seedDemoPromotions } from './application/seed-demo-promotions.ts';
import { decidePromotions, type Basket, type PromotionDecision } from './domain/decide-promotions.ts';
import { normaliseCode, type Promotion, type PromotionRefusal } from './domain/promotion.ts';
import { keptUntilNotice } from '../../shared/database/kept-until-notice.ts';
import { promotionRepository } from './infrastructure/promotion.repository.ts';
import { PROMOTIONS_CHANGED_CHANNEL, promotionsMigrations } from './infrastructure/promotions.migrations.ts';

export interface PromotionsModuleDeps {
  db: Database;
  auth: Authenticator;
  logger: Logger;
  seedDemoData?: boolean;
  now?: () => Date;
  newId?: () => string;
  /** How long the automatic promotions are kept at most without a change notice (ms). */
  keptMaxAgeMs?: number;
}

export interface RedeemInput {
  orderId: string;
  /** Who the per-customer limit counts: the order's email, lower case. */
  customerKey: string;
  currency: string;
  uses: { promotionId: string; amountMinor: number }[];
}

export type RedeemResult = { ok: true } | { ok: false; promotionId: string; reason: Extract<PromotionRefusal, 'USED_UP' | 'CUSTOMER_LIMIT'> };

/** What checkout asks of promotions. */
export interface PromotionsApi {
  /**
   * Which promotions apply to a basket (the stacking rule in decide-promotions.ts). Without a code,
   * and while no automatic promotion has a limit, none read: the automatic ones are kept until a
   * change notice; otherwise one read.
   */
  decide(input: { code: string | null; customerKey: string | null; basket: Basket }): Promise<PromotionDecision>;
  /**
   * Counts the uses inside the checkout's transaction `tx`; on a refusal the caller must roll the
   * transaction back. Exact under any number of concurrent checkouts (docs/adr/0066).
   */
  redeem(tx: Sql, input: RedeemInput): Promise<RedeemResult>;
}

/**
 * Discount codes and automatic promotions in the `promotions` schema: orders asks which apply
 * and counts their use in its checkout transaction; the back office lists, creates and disables them.
 */
export function createPromotionsModule(deps: PromotionsModuleDeps): CommerceModule<PromotionsApi> & Required<Pick<CommerceModule<PromotionsApi>, 'migrations' | 'routes' | 'start' | 'stop'>> {
  const kept = keptUntilNotice<Promotion[]>({ channel: PROMOTIONS_CHANGED_CHANNEL, maxAgeMs: deps.keptMaxAgeMs ?? 60_000 });
  // This instance's own changes are seen at once, before their notice comes back.
  const promotions: PromotionRepository = {
    ...promotionRepository,
    insert: (...args) => promotionRepository.insert(...args).finally(kept.clear),
    disable: (...args) => promotionRepository.disable(...args).finally(kept.clear),
  };
  const ctx: PromotionsContext = { db: deps.db, promotions, now: deps.now ?? (() => new Date()), newId: deps.newId ?? randomUUID };
  return {
    name: 'promotions',
    api: {
      async decide({ code, customerKey, basket }) {
        const wanted = code === null ? null : normaliseCode(code);
        if (wanted === null) {
          const automatic = await kept.get('automatic', () => ctx.promotions.automatic(ctx.db, basket.now));
          // Counts move with every order: a promotion with a limit is read with the customer's uses each time.
          if (automatic?.every(unlimited)) return decidePromotions(basket, null, automatic, new Map());
        }
        const { promotions, customerUses } = await ctx.promotions.candidates(ctx.db, wanted, customerKey, basket.now);
        return decidePromotions(basket, wanted, promotions, customerUses);
      },
      async redeem(tx, input) {
        if (input.uses.length === 0) return { ok: true };
        const refused = await ctx.promotions.redeem(tx, { ...input, at: ctx.now() });
        return refused ? { ok: false, ...refused } : { ok: true };
      },
    },
    migrations: promotionsMigrations,
    routes: adminPromotionRoutesMounted(ctx, deps.auth),
    async start() {
      await kept.listen(deps.db);
      if (!deps.seedDemoData) return;
      const created = await seedDemoPromotions(ctx);
      if (created > 0) deps.logger.info({ created }, 'demo promotions created');
    },
    stop: () => kept.stop(),
  };
}

const unlimited = (p: Promotion) => p.usageLimit === null && p.perCustomerLimit === null;

const adminPromotionRoutesMounted = (ctx: PromotionsContext, auth: Authenticator) => async (app: Parameters<NonNullable<CommerceModule<unknown>['routes']>>[0]) => {
  await app.register(adminPromotionRoutes(ctx, auth), { prefix: '/admin' });
};
