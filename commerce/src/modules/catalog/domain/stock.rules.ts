/**
 * Stock bounds. on_hand is an int4 column; capping it well below 2^31 means repeated
 * adjustments can never overflow into a database error.
 */
export const MAX_ON_HAND = 1_000_000_000;
export const MAX_STOCK_DELTA = 1_000_000;

/** What a shopper may still buy: never negative, even if data were inconsistent. */
export const availableOf = (onHand: number, reserved: number): number => Math.max(0, onHand - reserved);
