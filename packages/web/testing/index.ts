export { startCommerceProcess, until, type CommerceProcess } from './commerce-process.ts';
export { expectAccessible } from './accessibility.ts';
export { startEntryProcess, type EntryProcess } from './entry-process.ts';
