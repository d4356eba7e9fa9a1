import type { Database } from '../../../shared/database/database.ts';
import type { PromotionRepository } from './ports/promotion.repository.ts';

export interface PromotionsContext {
  db: Database;
  promotions: PromotionRepository;
  now: () => Date;
  newId: () => string;
}
