export { startCommerceProcess, until, type CommerceProcess } from './commerce-process.ts';
export { expectAccessible } from './accessibility.ts';
