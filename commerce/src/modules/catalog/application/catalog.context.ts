import type { Database } from '../../../shared/database/database.ts';

/** What every use case needs; clock and ids are passed in so tests can pin them. */
export interface CatalogContext {
  db: Database;
  now: () => Date;
  newId: () => string;
}
