import type { z } from 'zod';
import type { ProductListQuery } from '../application/catalog.dto.ts';
import { groupOptionTerms } from '../domain/option-filter.ts';
import type { productListQuery } from './catalog.schemas.ts';

/** The listing's querystring as the use case takes it: repeated `option` terms grouped by option name. */
export function toProductListQuery<Q extends z.output<typeof productListQuery>>({ option, ...rest }: Q): Omit<Q, 'option'> & ProductListQuery {
  if (option === undefined) return rest;
  return { ...rest, options: groupOptionTerms(typeof option === 'string' ? [option] : option) };
}
