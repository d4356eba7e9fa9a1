import { fail, ok, type Result } from '@shop/platform/result';
import type { AuditActor } from '../../../shared/audit/audit-trail.ts';
import { catalogError, type CatalogError } from '../domain/catalog.errors.ts';
import { imageKey, MAX_IMAGES_PER_PRODUCT, MEDIA_PATH, sniffImage } from '../domain/product-image.ts';
import type { CatalogContext } from './catalog.context.ts';
import type { AdminProductDetail } from './catalog.dto.ts';

/**
 * Stores an uploaded image and appends its URL to the product's images. The bytes go to the object
 * store first (under a fresh key, so nothing existing is overwritten), then the product row and its
 * audit entry change in one transaction: a failure after the upload leaves an unreferenced object,
 * never a product pointing at a missing one.
 */
export async function addProductImage(
  ctx: CatalogContext,
  productId: string,
  bytes: Uint8Array,
  actor: AuditActor,
): Promise<Result<AdminProductDetail, CatalogError>> {
  const kind = sniffImage(bytes);
  if (!kind) return fail(catalogError('CATALOG.IMAGE_UNSUPPORTED', 'image: must be a PNG, JPEG, WebP or GIF file', 'image'));
  const existing = await ctx.products.findProduct(ctx.db, { id: productId });
  if (!existing) return fail(catalogError('CATALOG.PRODUCT_NOT_FOUND', `Product ${productId} not found`));
  if (existing.images.length >= MAX_IMAGES_PER_PRODUCT) return fail(tooMany());
  const key = imageKey(productId, ctx.newId(), kind);
  await ctx.images.put(key, bytes);
  return ctx.db.transaction(async (tx) => {
    const current = await ctx.products.findProduct(tx, { id: productId }, { forUpdate: true });
    if (!current) return fail(catalogError('CATALOG.PRODUCT_NOT_FOUND', `Product ${productId} not found`));
    if (current.images.length >= MAX_IMAGES_PER_PRODUCT) return fail(tooMany());
    const url = `${MEDIA_PATH}${key}`;
    await ctx.products.updateProductRow(tx, { ...current, images: [...current.images, url] }, ctx.now());
    const updated = await ctx.products.findProduct(tx, { id: productId });
    if (!updated) throw new Error(`product ${productId} vanished inside its own transaction`);
    const after = await ctx.productDetails.loadProductDetail(tx, updated);
    await ctx.audit.record(tx, {
      actor,
      action: 'product.image_add',
      subject: { type: 'product', id: productId },
      summary: `${after.name}: ${url}`,
      before: { images: current.images },
      after: { images: after.images },
    });
    return ok(after);
  });
}

const tooMany = () => catalogError('CATALOG.TOO_MANY_IMAGES', `image: a product has at most ${MAX_IMAGES_PER_PRODUCT} images; remove one first`, 'image');
