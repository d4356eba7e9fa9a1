import type { ImageStore } from '../application/ports/image-store.port.ts';

/** Images in a Map: for module tests and tools that run the catalog without an object store. */
export function memoryImageStore(): ImageStore {
  const objects = new Map<string, Uint8Array>();
  return {
    async put(key, bytes) {
      objects.set(key, bytes);
    },
    async get(key) {
      return objects.get(key) ?? null;
    },
  };
}
