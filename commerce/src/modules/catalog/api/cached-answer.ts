import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Result } from '@shop/platform/result';
import type { CatalogContext } from '../application/catalog.context.ts';
import type { StockShown } from '../application/read-cache.ts';
import type { CatalogError } from '../domain/catalog.errors.ts';
import { unwrap } from './catalog.http-errors.ts';

/**
 * A shopper read answered as JSON bytes kept in the read cache, so a repeated read costs neither the
 * use case nor the response schema's encoding (zod walks every field of every item) nor
 * `JSON.stringify` and UTF-8 encoding. The bytes are made once per cache entry through the same
 * schema the route declares, and live exactly as long as the entry: every catalog write clears
 * both (ADR-0052, ADR-0071).
 * Without a cache (TTL 0) the route answers as any other.
 */
export async function cachedAnswer<T>(
  ctx: CatalogContext,
  reply: FastifyReply,
  key: string,
  schema: z.ZodType<unknown, T>,
  load: () => Promise<Result<T, CatalogError>>,
  shows: StockShown,
): Promise<T | FastifyReply> {
  if (!ctx.readCache) return unwrap(await load());
  const answer = await ctx.readCache.get(`answer:${key}`, async () => {
    const result = await load();
    // Bytes, not a string: a profile under load spent 8 % of the process encoding the same text to UTF-8 per answer.
    return result.ok ? { ok: true as const, value: Buffer.from(JSON.stringify(z.encode(schema, result.value))) } : result;
  }, shows);
  // Bytes are sent as they are: Fastify skips the route's serializer.
  return reply.type('application/json; charset=utf-8').send(unwrap(answer));
}
