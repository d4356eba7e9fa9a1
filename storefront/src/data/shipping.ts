import type { paths } from '@shop/sdk';
import { getProduct } from './products.ts';
import { expectOk, type Shopper } from './shopper.ts';

export type ShippingOption = paths['/api/shipping/options']['get']['responses'][200]['content']['application/json']['options'][number];

export async function quoteShipping(
  shopper: Shopper,
  parcel: { country: string; weightGrams: number; subtotalMinor: number; currency: string },
): Promise<ShippingOption[]> {
  const query = { ...parcel, weightGrams: Math.max(1, parcel.weightGrams) };
  const { options } = await expectOk(shopper, shopper.client.GET('/api/shipping/options', { params: { query }, headers: shopper.headers() }));
  return options;
}

/** The parcel's weight: the cart knows variants, the catalog knows what each weighs. */
export async function cartWeightGrams(shopper: Shopper, lines: { productId: string | null; variantId: string; quantity: number }[]): Promise<number> {
  const ids = [...new Set(lines.map((l) => l.productId).filter((id): id is string => Boolean(id)))];
  const products = await Promise.all(ids.map((id) => getProduct(shopper, id)));
  const weights = new Map(products.flatMap((p) => p?.variants.map((v) => [v.id, v.weightGrams] as const) ?? []));
  return lines.reduce((sum, l) => sum + (weights.get(l.variantId) ?? 500) * l.quantity, 0);
}
