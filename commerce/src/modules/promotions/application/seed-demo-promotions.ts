import type { PromotionsContext } from './promotions.context.ts';

/**
 * The demo shop's promotions, created once (a code already present is left alone): WELCOME10
 * (10% off, once per customer), FREESHIP (free shipping from 30 EUR) and an automatic 15 EUR off
 * orders of 150 EUR or more.
 */
export async function seedDemoPromotions(ctx: PromotionsContext): Promise<number> {
  const existing = await ctx.promotions.list(ctx.db, 1);
  if (existing.length > 0) return 0;
  const base = { startsAt: null, endsAt: null, usageLimit: null } as const;
  const demo = [
    { ...base, code: 'WELCOME10', name: 'Welcome: 10% off', kind: 'percentage', value: 1000, currency: null, minSubtotalMinor: 0, perCustomerLimit: 1 },
    { ...base, code: 'FREESHIP', name: 'Free shipping from 30 EUR', kind: 'free_shipping', value: 0, currency: 'EUR', minSubtotalMinor: 3000, perCustomerLimit: null },
    { ...base, code: null, name: '15 EUR off orders of 150 EUR', kind: 'fixed_amount', value: 1500, currency: 'EUR', minSubtotalMinor: 15_000, perCustomerLimit: null },
  ] as const;
  let created = 0;
  for (const p of demo) if ((await ctx.promotions.insert(ctx.db, ctx.newId(), p, ctx.now())) === 'created') created++;
  return created;
}
