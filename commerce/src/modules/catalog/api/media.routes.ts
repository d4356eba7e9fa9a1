import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound, type ZodTypeProvider } from '@shop/platform';
import type { Principal } from '../../../shared/http/auth.ts';
import { addProductImage } from '../application/add-product-image.ts';
import type { CatalogContext } from '../application/catalog.context.ts';
import { CONTENT_TYPES, kindOfKey, MAX_IMAGE_BYTES } from '../domain/product-image.ts';
import { unwrap } from './catalog.http-errors.ts';
import { adminProductDetailSchema, idParams } from './catalog.schemas.ts';

const UPLOAD_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'application/octet-stream'];

/** `POST /admin/products/:id/images`: the raw bytes of one image as the body (its type is read from the bytes). */
export async function adminImageRoutes(app: FastifyInstance, ctx: CatalogContext, caller: (request: FastifyRequest) => Principal): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: MAX_IMAGE_BYTES }, (_request, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/products/:id/images',
      {
        bodyLimit: MAX_IMAGE_BYTES,
        schema: {
          tags: ['catalog admin'],
          security: [{ session: [] }, { bearer: [] }],
          summary: 'Upload a product image (PNG, JPEG, WebP or GIF, at most 5 MB) as the request body; its URL is appended to the product\'s images',
          params: idParams,
          consumes: UPLOAD_TYPES,
          body: z.instanceof(Buffer).describe('the image file').meta({ type: 'string', format: 'binary' }),
          response: { 201: adminProductDetailSchema },
        },
        // The bytes are an image, not text: the well-formed-text check does not apply.
        config: { wellFormedText: false },
      },
      async (request, reply) => reply.status(201).send(unwrap(await addProductImage(ctx, request.params.id, request.body, caller(request)))),
    );
  });
}

/** `GET /media/products/:product/:file`: uploaded images, public and immutable (a new upload gets a new name). */
export async function mediaRoutes(app: FastifyInstance, ctx: CatalogContext): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/media/products/:productId/:file',
    {
      schema: {
        tags: ['catalog'],
        summary: 'A product image uploaded by the merchant',
        params: z.object({ productId: z.uuid(), file: z.string().regex(/^[0-9a-f-]{36}\.(png|jpg|webp|gif)$/, 'must be an image file name') }),
      },
    },
    async (request, reply) => {
      const key = `products/${request.params.productId}/${request.params.file}`;
      const kind = kindOfKey(key);
      const bytes = kind ? await ctx.images.get(key) : null;
      if (!kind || !bytes) throw notFound(`Image ${request.params.file}`);
      return reply
        .header('content-type', CONTENT_TYPES[kind])
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .send(Buffer.from(bytes));
    },
  );
}
