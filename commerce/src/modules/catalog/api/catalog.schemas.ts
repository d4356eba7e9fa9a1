import { z } from 'zod';
import { SLUG_PATTERN } from '../domain/category-path.ts';
import { MAX_OPTION_TERMS, OPTION_TERM } from '../domain/option-filter.ts';
import { PRODUCT_SORTS } from '../domain/product-listing.ts';
import { MAX_ON_HAND, MAX_STOCK_DELTA } from '../domain/stock.rules.ts';
import { MAX_IMAGES_PER_PRODUCT } from '../domain/product-image.ts';

const MEDIA_URL = /^\/api\/media\/products\/[0-9a-f-]{36}\/[0-9a-f-]{36}\.(png|jpg|webp|gif)$/;

/** Request and response shapes of the catalog's HTTP API; they also generate its OpenAPI. */

// PostgreSQL text cannot hold NUL; refusing it here keeps it a 400 instead of a database error.
const NO_NUL = /^[^\u0000]*$/;
const text = (min: number, max: number) => z.string().min(min).max(max).regex(NO_NUL, 'must not contain NUL characters');

const slug = z.string().max(120).regex(SLUG_PATTERN, 'must be lower-case letters, digits and single dashes');
const name = text(1, 200).trim().min(1);
const productStatus = z.enum(['draft', 'published']);
const timestamp = z.string().describe('ISO 8601');

export const idParams = z.object({ id: z.uuid() });
export const idOrSlugParams = z.object({ idOrSlug: text(1, 200) });

const optionTerm = z.string().regex(OPTION_TERM, 'must be option:value, e.g. size:M (a lower-case option name; a value of 1-64 characters, no NUL)');

export const productListQuery = z.object({
  category: slug.optional().describe('category slug; includes its subcategories'),
  minPrice: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe('minor units'),
  maxPrice: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe('minor units'),
  q: text(1, 200).trim().min(1).optional().describe('full-text search (English stemming, name above description); a text that finds nothing is retried with its misspelt words corrected (see correctedQuery)'),
  inStock: z.stringbool().optional(),
  option: z
    .union([optionTerm, z.array(optionTerm).max(MAX_OPTION_TERMS, `at most ${MAX_OPTION_TERMS} option filters`)])
    .optional()
    .describe('variant option filter, repeatable: option=size:M&option=size:L&option=colour:Blue (values of one option are alternatives; a variant must match every option named)'),
  facets: z.stringbool().optional().describe('true: also answer the option values (and how many products have each) that this listing can be narrowed to'),
  sort: z.enum(PRODUCT_SORTS).optional().describe('default: relevance with q, else newest'),
  limit: z.coerce.number().int().min(1).max(100).default(24),
  cursor: z.string().min(1).max(1000).regex(/^[\w-]+$/, 'must be a nextCursor value').optional().describe('nextCursor of the previous page'),
});

/** The region whose currency a shopper read is priced in; else the `x-region` header or `region` cookie, else catalog prices. */
export const regionQuery = z.object({
  region: z.string().max(32).regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a region id such as eu').optional().describe('region id (GET /api/regions): prices in its currency; overrides the x-region header and region cookie'),
});
export const shopperProductListQuery = productListQuery.extend(regionQuery.shape);

export const adminProductListQuery = productListQuery.extend({ status: productStatus.optional() });

export const createProductBody = z.strictObject({
  slug,
  name,
  description: text(0, 20_000).optional(),
  status: productStatus.optional(),
  categoryId: z.uuid().nullable().optional(),
  images: z
    .array(z.union([z.url({ protocol: /^https?$/ }).max(2000).regex(NO_NUL), z.string().regex(MEDIA_URL, 'must be an http(s) URL or an uploaded image\'s /api/media/ path')]))
    .max(MAX_IMAGES_PER_PRODUCT)
    .optional()
    .describe('http(s) URLs, or the /api/media/ paths of images uploaded with POST /api/admin/products/{id}/images'),
});
export const updateProductBody = createProductBody.partial();

const sku = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores');
const variantOptions = z
  .record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'option names are lower-case identifiers'), text(1, 64))
  .refine((o) => Object.keys(o).length <= 10, 'at most 10 options');
const priceMinor = z.number().int().min(0).max(1_000_000_000_000).describe('integer minor units (cents)');
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
const weightGrams = z.number().int().min(0).max(1_000_000);
const position = z.number().int().min(0).max(100_000);

export const createVariantBody = z.strictObject({
  sku,
  options: variantOptions.optional(),
  priceMinor,
  currency,
  weightGrams,
  onHand: z.number().int().min(0).max(MAX_ON_HAND).optional().describe('opening stock, audited'),
  position: position.optional(),
});
export const updateVariantBody = createVariantBody.omit({ onHand: true }).partial();

export const createCategoryBody = z.strictObject({
  slug,
  name,
  parentId: z.uuid().nullable().optional(),
  position: position.optional(),
});
export const updateCategoryBody = createCategoryBody.partial();

export const stockAdjustmentBody = z.strictObject({
  delta: z
    .number()
    .int()
    .min(-MAX_STOCK_DELTA)
    .max(MAX_STOCK_DELTA)
    .refine((d) => d !== 0, 'must not be 0'),
  reason: text(1, 500).trim().min(1),
});
export const stockAdjustmentListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

const categoryRef = z.object({ id: z.uuid(), slug: z.string(), name: z.string() });
export const categorySchema = categoryRef.extend({
  parentId: z.uuid().nullable(),
  path: z.string(),
  position: z.number().int(),
});
export interface CategoryNodeShape extends z.infer<typeof categorySchema> {
  children: CategoryNodeShape[];
}
export const categoryNodeSchema: z.ZodType<CategoryNodeShape> = categorySchema.extend({
  get children() {
    return z.array(categoryNodeSchema);
  },
}).meta({ id: 'CategoryNode' }); // a named component: OpenAPI needs one for a schema that contains itself
export const categoryTreeSchema = z.object({ items: z.array(categoryNodeSchema) });

export const productSummarySchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  status: productStatus,
  categoryId: z.uuid().nullable(),
  priceMinor: z.number().int().nullable().describe('cheapest variant'),
  currency: z.string().nullable(),
  imageUrl: z.string().nullable(),
  inStock: z.boolean(),
  defaultVariantId: z.uuid().nullable().describe('what "add to cart" adds from a listing: the first variant in stock, else the first'),
  createdAt: timestamp,
});
const optionFacetSchema = z.object({
  name: z.string(),
  values: z.array(z.object({ value: z.string(), count: z.number().int().describe('products in this listing with a variant of this value') })),
});
const categoryFacetSchema = z.object({
  slug: z.string(),
  name: z.string(),
  path: z.string(),
  count: z.number().int().describe('products in this listing in the category or below it: what category=<slug> would list'),
});
export const productPageSchema = z.object({
  items: z.array(productSummarySchema),
  nextCursor: z.string().nullable(),
  facets: z
    .object({ options: z.array(optionFacetSchema), categories: z.array(categoryFacetSchema) })
    .optional()
    .describe('with facets=true: per option, the values this listing offers, and per category, how many of its products; a facet\'s own selection does not narrow it'),
  correctedQuery: z
    .string()
    .optional()
    .describe('set when q found nothing and this spelling of it (each unknown word replaced by the nearest catalog word) did: the items answer it'),
});

export const variantSchema = z.object({
  id: z.uuid(),
  sku: z.string(),
  options: z.record(z.string(), z.string()),
  priceMinor: z.number().int(),
  currency: z.string(),
  weightGrams: z.number().int(),
  available: z.number().int(),
  position: z.number().int(),
});
export const adminVariantSchema = variantSchema.extend({
  productId: z.uuid(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const productDetailBase = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  status: productStatus,
  images: z.array(z.string()),
  categoryPath: z.array(categoryRef),
  inStock: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const productDetailSchema = productDetailBase.extend({ variants: z.array(variantSchema) });
export const adminProductDetailSchema = productDetailBase.extend({
  categoryId: z.uuid().nullable(),
  variants: z.array(adminVariantSchema),
});

export const stockAdjustmentSchema = z.object({
  // Any 128-bit id: the demo catalog derives its opening-stock ids with md5(), which has no RFC 4122 version bits.
  id: z.guid(),
  variantId: z.uuid(),
  delta: z.number().int(),
  reason: z.string(),
  actorId: z.string(),
  onHandAfter: z.number().int(),
  createdAt: timestamp,
});
export const stockAdjustmentListSchema = z.object({ items: z.array(stockAdjustmentSchema) });

export const deleted = z.null().describe('deleted');
