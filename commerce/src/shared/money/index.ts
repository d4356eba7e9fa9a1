/** Integer arithmetic on minor units shared by pricing, promotions and orders: no amount is ever a float. */
export { allocate } from './allocate.ts';
export { divideRoundHalfUp } from './rounding.ts';
