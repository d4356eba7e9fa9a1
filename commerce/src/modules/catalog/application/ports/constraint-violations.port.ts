import type { Result } from '@shop/platform/result';
import type { CatalogError } from '../../domain/catalog.errors.ts';

/** How the use cases learn that a write broke a named constraint (a taken slug, a category still in use). */
export interface ConstraintViolationMapper {
  /**
   * Runs `work` and turns the named constraint violations (unique, foreign key) into expected
   * results, keyed by constraint name. Relying on the constraint (instead of checking first) is
   * what makes concurrent writers safe.
   */
  mapConstraintViolations<T>(work: () => Promise<Result<T, CatalogError>>, byConstraint: Record<string, CatalogError>): Promise<Result<T, CatalogError>>;
}
