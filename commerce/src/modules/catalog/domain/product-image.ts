/** Product images the merchant uploads: what is accepted and where it is found. */

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGES_PER_PRODUCT = 20;
/** Stored images are served by the API under this path (and by the clients' `/api` proxies on their origin). */
export const MEDIA_PATH = '/api/media/';

export type ImageKind = 'png' | 'jpeg' | 'webp' | 'gif';

export const CONTENT_TYPES: Record<ImageKind, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

/** The kind the bytes really are (by their signature), whatever the upload claimed; null for anything else. */
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'webp';
  return null;
}

/** `products/<product id>/<image id>.<ext>`: one folder per product, a fresh name per upload (so URLs are immutable). */
export const imageKey = (productId: string, imageId: string, kind: ImageKind) => `products/${productId}/${imageId}.${kind === 'jpeg' ? 'jpg' : kind}`;

export const KEY_PATTERN = /^products\/[0-9a-f-]{36}\/[0-9a-f-]{36}\.(png|jpg|webp|gif)$/;

export function kindOfKey(key: string): ImageKind | null {
  const ext = KEY_PATTERN.exec(key)?.[1];
  return ext === 'jpg' ? 'jpeg' : ((ext as ImageKind | undefined) ?? null);
}
