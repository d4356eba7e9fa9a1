/** What a carrier reports after the label: the parcel moves, then arrives. */
export type TrackingStatus = 'in_transit' | 'delivered';

/** A shipment only moves forward: a late `in_transit` after `delivered` changes nothing. */
export type ShipmentStatus = 'label_purchased' | TrackingStatus;

const RANK: Record<ShipmentStatus, number> = { label_purchased: 0, in_transit: 1, delivered: 2 };

export function advances(current: ShipmentStatus, next: ShipmentStatus): boolean {
  return RANK[next] > RANK[current];
}

/**
 * The parcel's weight from the order lines (`weightGrams` is per unit). Weightless goods
 * still travel in a box, so the parcel weighs at least 1 g (the rate table refuses 0).
 */
export function parcelWeightGrams(lines: ReadonlyArray<{ quantity: number; weightGrams: number }>): number {
  return Math.max(1, lines.reduce((sum, l) => sum + l.quantity * l.weightGrams, 0));
}
