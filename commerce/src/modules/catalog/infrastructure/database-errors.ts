import type { CatalogError } from '../domain/catalog.errors.ts';
import { fail, type Result } from '@shop/platform/result';
import type { ConstraintViolationMapper } from '../application/ports/constraint-violations.port.ts';

interface PostgresError {
  code: string;
  constraint?: string;
}

const isPostgresError = (error: unknown): error is PostgresError =>
  typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';

/**
 * Runs `work` and turns the named constraint violations (unique 23505, foreign key 23503)
 * into expected results. Catching here, outside the transaction, matters: after a failed
 * statement PostgreSQL refuses everything else in that transaction, so it must roll back first.
 * Relying on the constraint (instead of checking first) is what makes concurrent writers safe.
 */
export async function mapConstraintViolations<T>(
  work: () => Promise<Result<T, CatalogError>>,
  byConstraint: Record<string, CatalogError>,
): Promise<Result<T, CatalogError>> {
  try {
    return await work();
  } catch (error) {
    if (isPostgresError(error) && (error.code === '23505' || error.code === '23503') && error.constraint) {
      const mapped = byConstraint[error.constraint];
      if (mapped) return fail(mapped);
    }
    throw error;
  }
}


/** The ConstraintViolationMapper port over PostgreSQL/PGlite. */
export const constraintViolationMapper: ConstraintViolationMapper = { mapConstraintViolations };
