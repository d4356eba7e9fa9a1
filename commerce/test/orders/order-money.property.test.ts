import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { taxOn } from '../../src/modules/pricing/index.ts';
import { decidePromotions, type Promotion } from '../../src/modules/promotions/index.ts';
import type { Order } from '../../src/modules/orders/domain/order.ts';
import { priceOrder, spreadDiscounts, type BareLine } from '../../src/modules/orders/domain/price-order.ts';
import { planRefund, type Refund } from '../../src/modules/orders/domain/refund.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const line = fc.record({ unitPriceMinor: fc.integer({ min: 0, max: 2_000_000 }), quantity: fc.integer({ min: 1, max: 99 }) });
const promotion = (id: number) =>
  fc
    .record({
      kind: fc.constantFrom('percentage', 'fixed_amount', 'free_shipping') as fc.Arbitrary<Promotion['kind']>,
      percent: fc.integer({ min: 1, max: 10_000 }),
      fixed: fc.integer({ min: 1, max: 5_000_000 }),
      automatic: fc.boolean(),
      minSubtotalMinor: fc.integer({ min: 0, max: 3_000_000 }),
      currency: fc.constantFrom('EUR', 'USD', null),
      usageLimit: fc.option(fc.integer({ min: 1, max: 3 })),
      usedCount: fc.integer({ min: 0, max: 3 }),
    })
    .map(
      (p): Promotion => ({
        id: uuid(id),
        code: p.automatic ? null : `CODE${id}`,
        name: `P${id}`,
        kind: p.kind,
        value: p.kind === 'percentage' ? p.percent : p.kind === 'fixed_amount' ? p.fixed : 0,
        currency: p.kind === 'fixed_amount' || p.minSubtotalMinor > 0 ? (p.currency ?? 'EUR') : p.currency,
        minSubtotalMinor: p.minSubtotalMinor,
        startsAt: null,
        endsAt: null,
        usageLimit: p.usageLimit,
        perCustomerLimit: null,
        usedCount: p.usageLimit === null ? 0 : Math.min(p.usedCount, p.usageLimit),
        disabledAt: null,
        createdAt: new Date(NOW.getTime() - id * 1000),
      }),
    );
const rates = fc.array(fc.record({ name: fc.constantFrom('VAT', 'State', 'County'), rateBp: fc.integer({ min: 0, max: 3000 }) }), { maxLength: 2 });

/**
 * Random carts, promotions (codes and automatic ones), tax settings and rates through the same
 * functions checkout uses: every amount of the order adds up, no amount is ever a non-integer,
 * at most one merchandise discount and one free shipping apply, and refunding every unit and the
 * shipping in random steps gives back exactly what was paid.
 */
describe('order money over random carts, codes and regions', () => {
  it('adds up, stacks as stated and refunds to the cent', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 6 }).chain((ids) => fc.tuple(...[...new Set(ids)].map(promotion))),
        fc.option(fc.integer({ min: 1, max: 6 })),
        fc.constantFrom('EUR', 'USD', 'JPY'),
        fc.boolean(),
        fc.array(rates, { minLength: 6, maxLength: 6 }),
        rates,
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 8 }),
        (rawLines, shippingMinor, promotions, codeId, currency, taxInclusive, lineRates, shippingRates, steps) => {
          const lines: BareLine[] = rawLines.map((l, i) => ({ variantId: uuid(100 + i), productId: uuid(200 + i), sku: `S${i}`, name: `L${i}`, weightGrams: 1, ...l }));
          const subtotalMinor = lines.reduce((a, l) => a + l.unitPriceMinor * l.quantity, 0);
          const decision = decidePromotions({ currency, subtotalMinor, shippingMinor, now: NOW }, codeId === null ? null : `CODE${codeId}`, promotions, new Map());
          expect(decision.applied.filter((p) => p.kind !== 'free_shipping').length).toBeLessThanOrEqual(1);
          expect(decision.applied.filter((p) => p.kind === 'free_shipping').length).toBeLessThanOrEqual(1);
          const { lineDiscounts, shippingDiscountMinor } = spreadDiscounts(lines, shippingMinor, decision.applied);
          const priced = priceOrder({
            lines,
            shippingMinor,
            promotions: decision.applied,
            lineDiscounts,
            shippingDiscountMinor,
            taxes: {
              regionId: 'r',
              taxInclusive,
              lines: lines.map((l, i) => ({ taxClass: 'standard', taxLines: taxOn(l.unitPriceMinor * l.quantity - lineDiscounts[i]!, lineRates[i]!, taxInclusive) })),
              shippingTaxLines: taxOn(shippingMinor - shippingDiscountMinor, shippingRates, taxInclusive),
            },
          });
          // Independent of priceOrder's own check: the identity, restated.
          const lineTax = priced.lines.reduce((a, l) => a + l.taxLines.reduce((b, t) => b + t.amountMinor, 0), 0);
          expect(priced.taxMinor).toBe(lineTax + priced.shippingTaxMinor);
          expect(priced.totalMinor).toBe(subtotalMinor - priced.discountMinor + shippingMinor + (taxInclusive ? 0 : priced.taxMinor));
          expect(priced.discountMinor).toBe(priced.promotions.reduce((a, p) => a + p.amountMinor, 0));
          expect(priced.discountMinor).toBeLessThanOrEqual(subtotalMinor + shippingMinor);
          for (const v of [priced.totalMinor, priced.taxMinor, priced.discountMinor, ...priced.lines.map((l) => l.taxMinor)]) expect(Number.isSafeInteger(v) && v >= 0).toBe(true);

          // Refund every unit in random steps, then shipping: exactly the total comes back.
          const order = { ...priced, paidMinor: priced.totalMinor, currency } as unknown as Order;
          const refunds: Refund[] = [];
          let step = 0;
          for (const l of priced.lines) {
            let left = l.quantity;
            while (left > 0) {
              let units = Math.min(left, steps[step++ % steps.length]!);
              const ask = () => planRefund(order, refunds, { kind: 'lines', lines: [{ variantId: l.variantId, quantity: units }], shipping: false });
              let plan = ask();
              if (!plan.ok && units < left) {
                // A line paid fewer minor units than it has units leaves some units worth 0: a refund of
                // only those is refused (nothing to give back), so the shopper asks for the rest at once.
                units = left;
                plan = ask();
              }
              if (!plan.ok) {
                // Only a zero-priced remainder can be refused.
                expect(plan.error.code).toBe('ORDERS.REFUND_LINE_INVALID');
                break;
              }
              refunds.push({ id: `r${refunds.length}`, orderId: 'o', currency, reason: 'x', status: 'requested', requestedBy: 'a', createdAt: NOW, refundedAt: null, ...plan.value });
              left -= units;
            }
          }
          const shipping = planRefund(order, refunds, { kind: 'lines', lines: [], shipping: true });
          if (shipping.ok) refunds.push({ id: 's', orderId: 'o', currency, reason: 'x', status: 'requested', requestedBy: 'a', createdAt: NOW, refundedAt: null, ...shipping.value });
          expect(refunds.reduce((a, r) => a + r.amountMinor, 0)).toBe(priced.totalMinor);
        },
      ),
      { numRuns: 400 },
    );
  });
});
