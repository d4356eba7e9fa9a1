export { createCartModule, type CartApi, type CartConfig, type CartModuleDeps, type CheckoutCartResult } from './cart.module.ts';
export type {
  CartIssue,
  CartIssueCode,
  CartLineView,
  CartOwner,
  CartView,
  CheckoutCart,
  CheckoutCartError,
  CheckoutLine,
  MergeSummary,
} from './application/cart.dto.ts';
