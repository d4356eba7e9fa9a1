import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, apiFieldErrors } from '@shop/web';
import { parseOptions, parsePrice, parseWhole } from '../../components/variant-form.ts';
import { categoryOptions } from '../../data/categories.ts';
import {
  adjustStock,
  createProduct,
  createVariant,
  deleteProduct,
  deleteVariant,
  getProduct,
  listProducts,
  stockHistory,
  updateProduct,
  updateVariant,
} from '../../data/products.ts';
import type { Me } from '../../data/staff.ts';
import { confirmPage } from '../../pages/confirm.ts';
import { newProductPage, PRODUCT_LABELS, productPage, STOCK_LABELS, VARIANT_LABELS, type FormProblem } from '../../pages/product.ts';
import { productsPage } from '../../pages/products.ts';
import { notFoundPage } from '../../pages/status.ts';
import { can, contextFor, formAllowed, requirePermission, type RequestContext, type Site } from '../context.ts';

type Form = Record<string, string>;
type Params = { id: string; variantId: string };
const one = (value: unknown): string => (Array.isArray(value) ? String(value[0] ?? '') : typeof value === 'string' ? value : '');
const formOf = (request: FastifyRequest): Form => Object.fromEntries(Object.entries((request.body as Record<string, unknown>) ?? {}).map(([k, v]) => [k, one(v)]));
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Thrown for form text the page itself cannot turn into API values (a price of "abc"). */
class FormTextError extends Error {
  constructor(readonly fields: Record<string, string>) {
    super('Check the highlighted fields.');
  }
}

function variantBody(form: Form) {
  const fields: Record<string, string> = {};
  const priceMinor = parsePrice(form.price ?? '');
  if (priceMinor === null) fields.price = 'Price: must be an amount such as 12.50';
  const options = parseOptions(form.options ?? '');
  if (options === null) fields.options = 'Options: write them as name=value, separated by commas (size=M, colour=Blue)';
  const weightGrams = parseWhole(form.weightGrams ?? '');
  if (weightGrams === null) fields.weightGrams = 'Weight: must be a whole number of grams';
  if (Object.keys(fields).length) throw new FormTextError(fields);
  return { sku: (form.sku ?? '').trim(), options: options!, priceMinor: priceMinor!, weightGrams: weightGrams!, currency: form.currency || 'EUR' };
}

/**
 * The catalog screens: the product list (search, filters, keyset pages), a new product, and one
 * product with its details, images, variants and stock. Each handler asks the API for what the role
 * may do (`catalog.read`, `catalog.write`, `catalog.stock`), and each form posts here, calls the API
 * and either redirects with a message or shows the API's refusal next to the field it names.
 */
export function catalogRoutes(site: Site) {
  const renderProduct = async (ctx: RequestContext, reply: FastifyReply, me: Me, id: string, problem?: FormProblem) => {
    const [product, categories] = await Promise.all([getProduct(ctx.staff, id), categoryOptions(ctx.staff)]);
    if (!product) return ctx.render(reply, notFoundPage(), me);
    const history = new Map(await Promise.all(product.variants.map(async (v) => [v.id, await stockHistory(ctx.staff, v.id)] as const)));
    return ctx.render(
      reply,
      productPage({
        locale: ctx.staff.locale,
        csrf: ctx.staff.cookies.csrf_token ?? '',
        product,
        categories,
        history,
        canWrite: can(me, 'catalog.write'),
        canAdjustStock: can(me, 'catalog.stock'),
        storefrontUrl: site.config.STOREFRONT_URL?.replace(/\/$/, ''),
        problem,
      }),
      me,
    );
  };

  /** Runs one product form: permission, CSRF, confirmation, the API call, then redirect or the page with the refusal. */
  const productAction = (
    permission: string,
    formName: (params: Params) => string,
    labels: Record<string, string>,
    act: (ctx: RequestContext, params: Params, form: Form) => Promise<{ to: string; done: string }>,
    confirm?: (form: Form) => string | null,
  ) =>
    async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form came from another site');
      const me = await requirePermission(ctx, request, reply, permission);
      if (!me) return reply;
      const form = formOf(request);
      const { id } = request.params;
      if (!uuid.test(id) || (request.params.variantId !== undefined && !uuid.test(request.params.variantId))) return ctx.render(reply, notFoundPage(), me);
      const question = confirm && form.confirm !== 'yes' ? confirm(form) : null;
      if (question) {
        const { _csrf: _, ...fields } = form;
        return ctx.render(reply, confirmPage({ question, action: request.url, csrf: ctx.staff.cookies.csrf_token ?? '', fields, back: `/products/${id}` }), me);
      }
      try {
        const { to, done } = await act(ctx, request.params, form);
        return ctx.redirect(reply, `${to}${to.includes('?') ? '&' : '?'}done=${encodeURIComponent(done)}`);
      } catch (error) {
        if (error instanceof FormTextError) return renderProduct(ctx, reply, me, id, { form: formName(request.params), fields: error.fields, message: error.message, values: form });
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        if (error.status === 401) return ctx.redirect(reply, `/sign-in?next=${encodeURIComponent(`/products/${id}`)}`);
        const { fields, form: message } = apiFieldErrors(error, labels);
        return renderProduct(ctx, reply, me, id, { form: formName(request.params), fields, message, values: form });
      }
    };

  return async (app: FastifyInstance) => {
    app.get<{ Querystring: Record<string, string> }>('/products', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'catalog.read');
      if (!me) return reply;
      const q = request.query;
      const filters = {
        q: one(q.q).trim() || undefined,
        status: q.status === 'draft' || q.status === 'published' ? (q.status as 'draft' | 'published') : undefined,
        category: one(q.category) || undefined,
        inStock: q.inStock === 'true' || q.inStock === 'false' ? q.inStock : undefined,
        cursor: one(q.cursor) || undefined,
      };
      const [page, categories] = await Promise.all([
        listProducts(ctx.staff, { ...filters, inStock: filters.inStock === undefined ? undefined : filters.inStock === 'true' }).catch((error: unknown) => {
          // A stale cursor or a filter the API refuses: the first page, with the API's reason.
          if (error instanceof ApiError && error.status === 400) return { items: [], nextCursor: null, refused: error.message };
          throw error;
        }),
        categoryOptions(ctx.staff),
      ]);
      const rendered = productsPage({ locale: ctx.staff.locale, items: page.items, nextCursor: page.nextCursor, filters, categories, canWrite: can(me, 'catalog.write') });
      return ctx.render(reply, 'refused' in page ? { ...rendered, flash: page.refused, flashIsError: true } : rendered, me);
    });

    app.get('/products/new', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'catalog.write');
      if (!me) return reply;
      return ctx.render(reply, newProductPage({ csrf: ctx.staff.cookies.csrf_token ?? '', categories: await categoryOptions(ctx.staff) }), me);
    });

    app.post('/products', async (request, reply) => {
      const ctx = contextFor(site, request);
      if (!formAllowed(site, request)) return reply.status(403).send('This form came from another site');
      const me = await requirePermission(ctx, request, reply, 'catalog.write');
      if (!me) return reply;
      const form = formOf(request);
      try {
        const product = await createProduct(ctx.staff, {
          name: form.name ?? '',
          slug: (form.slug ?? '').trim(),
          description: form.description ?? '',
          categoryId: form.categoryId || null,
        });
        return ctx.redirect(reply, `/products/${product.id}?done=${encodeURIComponent('Product created as a draft: add its variants, then publish it')}`);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status >= 500) throw error;
        const { fields, form: message } = apiFieldErrors(error, PRODUCT_LABELS);
        const categories = await categoryOptions(ctx.staff);
        return ctx.render(reply, newProductPage({ csrf: ctx.staff.cookies.csrf_token ?? '', categories, problem: { form: 'new-product', fields, message, values: form } }), me);
      }
    });

    app.get<{ Params: { id: string } }>('/products/:id', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'catalog.read');
      if (!me) return reply;
      if (!uuid.test(request.params.id)) return ctx.render(reply, notFoundPage(), me);
      return renderProduct(ctx, reply, me, request.params.id);
    });

    app.post<{ Params: Params }>(
      '/products/:id',
      productAction('catalog.write', () => 'details', PRODUCT_LABELS, async (ctx, { id }, form) => {
        await updateProduct(ctx.staff, id, { name: form.name ?? '', slug: (form.slug ?? '').trim(), description: form.description ?? '', categoryId: form.categoryId || null });
        return { to: `/products/${id}`, done: 'Details saved' };
      }),
    );

    app.post<{ Params: Params }>(
      '/products/:id/status',
      productAction(
        'catalog.write',
        () => 'status',
        {},
        async (ctx, { id }, form) => {
          const status = form.status === 'published' ? 'published' : 'draft';
          await updateProduct(ctx.staff, id, { status });
          return { to: `/products/${id}`, done: status === 'published' ? 'Published: shoppers can find it now' : 'Unpublished: hidden from shoppers' };
        },
        // Publishing is safe to repeat; hiding a product from shoppers is asked first.
        (form) => (form.status === 'published' ? null : 'Unpublish this product? Shoppers will no longer find it.'),
      ),
    );

    app.post<{ Params: Params }>(
      '/products/:id/delete',
      productAction(
        'catalog.write',
        () => 'delete',
        {},
        async (ctx, { id }) => {
          await deleteProduct(ctx.staff, id);
          return { to: '/products', done: 'Product deleted' };
        },
        () => 'Delete this product and all its variants? This cannot be undone.',
      ),
    );

    app.post<{ Params: Params }>(
      '/products/:id/images/remove',
      productAction(
        'catalog.write',
        () => 'images',
        {},
        async (ctx, { id }, form) => {
          const product = await getProduct(ctx.staff, id);
          if (!product) throw new ApiError(404, 'NOT_FOUND', 'This product no longer exists');
          await updateProduct(ctx.staff, id, { images: product.images.filter((url) => url !== form.url) });
          return { to: `/products/${id}#images`, done: 'Image removed' };
        },
        () => 'Remove this image from the product?',
      ),
    );

    app.post<{ Params: Params }>(
      '/products/:id/variants',
      productAction('catalog.write', () => 'new-variant', VARIANT_LABELS, async (ctx, { id }, form) => {
        const onHand = parseWhole(form.onHand || '0');
        if (onHand === null || onHand < 0) throw new FormTextError({ onHand: 'Opening stock: must be a whole number, 0 or more' });
        const created = await createVariant(ctx.staff, id, { ...variantBody(form), onHand });
        return { to: `/products/${id}`, done: `Variant ${created.sku} added` };
      }),
    );

    app.post<{ Params: Params }>(
      '/products/:id/variants/:variantId',
      productAction('catalog.write', ({ variantId }) => `variant-${variantId}`, VARIANT_LABELS, async (ctx, { id, variantId }, form) => {
        const { currency: _, ...body } = variantBody(form);
        const saved = await updateVariant(ctx.staff, variantId, body);
        return { to: `/products/${id}`, done: `Variant ${saved.sku} saved` };
      }),
    );

    app.post<{ Params: Params }>(
      '/products/:id/variants/:variantId/delete',
      productAction(
        'catalog.write',
        ({ variantId }) => `variant-${variantId}`,
        {},
        async (ctx, { id, variantId }) => {
          await deleteVariant(ctx.staff, variantId);
          return { to: `/products/${id}`, done: 'Variant deleted' };
        },
        () => 'Delete this variant? Its stock history stays in the audit log.',
      ),
    );

    app.post<{ Params: Params }>(
      '/products/:id/variants/:variantId/stock',
      productAction('catalog.stock', ({ variantId }) => `stock-${variantId}`, STOCK_LABELS, async (ctx, { id, variantId }, form) => {
        const delta = parseWhole(form.delta ?? '');
        if (delta === null) throw new FormTextError({ delta: 'Change: must be a whole number such as 10 or -2' });
        const adjustment = await adjustStock(ctx.staff, variantId, delta, form.reason ?? '');
        return { to: `/products/${id}`, done: `Stock adjusted by ${delta > 0 ? '+' : ''}${delta}: ${adjustment.onHandAfter} on hand` };
      }),
    );
  };
}
