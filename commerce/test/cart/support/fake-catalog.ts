import { randomUUID } from 'node:crypto';
import type { CatalogApi, VariantSnapshot } from '../../../src/modules/cart/application/ports/catalog.port.ts';

/**
 * A plain in-memory CatalogApi. It stands in for another module (written in parallel),
 * not for an engine, so the cart's use of the catalog's public API is all it models.
 * `calls` records each getVariants call so tests can hold reads to one call. Like the catalog's read
 * cache, `recent` reads keep answering what they first answered until a catalog write (`update`,
 * `remove`); `sell` moves units as an order does, which only `current` reads see at once.
 */
export interface FakeCatalog extends CatalogApi {
  calls: string[][];
  add(overrides?: Partial<VariantSnapshot>): VariantSnapshot;
  update(variantId: string, changes: Partial<VariantSnapshot>): void;
  remove(variantId: string): void;
  sell(variantId: string, quantity: number): void;
}

export function createFakeCatalog(): FakeCatalog {
  const variants = new Map<string, VariantSnapshot>();
  const recent = new Map<string, VariantSnapshot>();
  return {
    calls: [],
    async getVariants(ids, freshness = 'current') {
      this.calls.push([...ids]);
      // Answer on a later tick, as a database would, so concurrent requests interleave.
      await new Promise((resolve) => setImmediate(resolve));
      return ids.flatMap((id) => {
        const variant = (freshness === 'recent' ? recent.get(id) : undefined) ?? variants.get(id);
        if (variant && freshness === 'recent') recent.set(id, variant);
        return variant ? [structuredClone(variant)] : [];
      });
    },
    // The cart never reserves stock; checkout does, against the real catalog.
    async reserveStock() {
      throw new Error('the cart does not reserve stock');
    },
    async releaseStock() {
      throw new Error('the cart does not release stock');
    },
    async commitStock() {
      throw new Error('the cart does not commit stock');
    },
    async restockReturned() {
      throw new Error('the cart does not restock');
    },
    add(overrides = {}) {
      const variantId = overrides.variantId ?? randomUUID();
      const variant: VariantSnapshot = {
        variantId,
        productId: randomUUID(),
        sku: `SKU-${variantId.slice(0, 8)}`,
        productName: `Product ${variantId.slice(0, 4)}`,
        options: { size: 'M' },
        priceMinor: 1999,
        currency: 'EUR',
        available: 100,
        purchasable: true,
        imageUrl: null,
        weightGrams: 250,
        ...overrides,
      };
      variants.set(variantId, variant);
      return variant;
    },
    update(variantId, changes) {
      const current = variants.get(variantId);
      if (!current) throw new Error(`fake catalog has no variant ${variantId}`);
      variants.set(variantId, { ...current, ...changes });
      recent.clear();
    },
    remove(variantId) {
      variants.delete(variantId);
      recent.clear();
    },
    sell(variantId, quantity) {
      const current = variants.get(variantId);
      if (!current) throw new Error(`fake catalog has no variant ${variantId}`);
      variants.set(variantId, { ...current, available: current.available - quantity });
    },
  };
}
