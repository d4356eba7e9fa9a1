/** Where uploaded product images are kept: the object store (a local directory, or S3 in production). */
export interface ImageStore {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | null>;
}
