import { describe, expect, it } from 'vitest';
import { advances, parcelWeightGrams } from './shipment.ts';

describe('shipment rules', () => {
  it('moves only forward', () => {
    expect(advances('label_purchased', 'in_transit')).toBe(true);
    expect(advances('in_transit', 'delivered')).toBe(true);
    expect(advances('label_purchased', 'delivered')).toBe(true);
    expect(advances('in_transit', 'in_transit')).toBe(false);
    expect(advances('delivered', 'in_transit')).toBe(false);
  });

  it('weighs the parcel per unit times quantity, at least 1 g', () => {
    expect(parcelWeightGrams([{ quantity: 2, weightGrams: 300 }, { quantity: 1, weightGrams: 50 }])).toBe(650);
    expect(parcelWeightGrams([{ quantity: 3, weightGrams: 0 }])).toBe(1);
  });
});
