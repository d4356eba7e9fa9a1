/**
 * What the batch layer needs from the data lake: list, get and an atomic put of whole objects.
 * Any `ObjectStore` (S3 or a directory) satisfies it; `localPath` is the shortcut a directory store
 * offers, so DuckDB reads raw files in place and writes views beside their keys.
 */
export interface LakeStore {
  /** Every key under `prefix`. */
  list(prefix: string): Promise<string[]>;
  get(key: string): Promise<Uint8Array | null>;
  /** Replaces the object at once: readers see the old bytes or the new ones, never a part. */
  put(key: string, body: Uint8Array): Promise<void>;
  /** Set only when objects are plain files: the file holding `key`. */
  localPath?(key: string): string;
}
