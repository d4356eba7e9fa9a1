/**
 * Test support other modules' and system tests may use, published deliberately (like a
 * package's `/testing` entry): a local fake of the Stripe endpoints the Stripe adapter calls.
 */
export { startStripeFake, type StripeFake } from './infrastructure/test-support/stripe-fake.server.ts';
