import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, apiFieldErrors } from '@shop/web';
import { categoryRows, createCategory, deleteCategory, updateCategory } from '../../data/categories.ts';
import type { Me } from '../../data/staff.ts';
import { categoriesPage, categoryPage, CATEGORY_LABELS } from '../../pages/categories.ts';
import { confirmPage } from '../../pages/confirm.ts';
import type { FormProblem } from '../../pages/product.ts';
import { notFoundPage } from '../../pages/status.ts';
import { can, contextFor, formAllowed, requirePermission, type RequestContext, type Site } from '../context.ts';
import { one, type FormBody } from './form-values.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Params = { id: string };

const fieldsOf = (body: FormBody) => ({ name: one(body, 'name'), slug: one(body, 'slug').trim(), parentId: one(body, 'parentId') || null });

/** An API refusal the form can show (field errors, a conflict); anything else is the error page's. */
function problemOf(error: unknown, form: string, values: Record<string, string>): FormProblem {
  if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401) throw error;
  const { fields, form: message } = apiFieldErrors(error, CATEGORY_LABELS);
  return { form, fields, message, values };
}

/**
 * The category screens: the tree for every role that reads the catalog, and for `catalog.write`
 * a new-category form and one page per category to rename, move or delete it. Each form posts
 * here, calls the API, and redirects with a message or shows the API's refusal next to its field.
 */
export function categoryRoutes(site: Site) {
  const csrf = (ctx: RequestContext) => ctx.staff.cookies.csrf_token ?? '';

  const renderCategory = async (ctx: RequestContext, reply: FastifyReply, me: Me, id: string, problem?: FormProblem) => {
    const rows = await categoryRows(ctx.staff);
    const category = rows.find((r) => r.id === id);
    if (!category) return ctx.render(reply, notFoundPage(), me);
    return ctx.render(reply, categoryPage({ csrf: csrf(ctx), rows, category, problem }), me);
  };

  /** Permission and CSRF for a category form; null after answering. */
  const writer = async (request: FastifyRequest, reply: FastifyReply) => {
    const ctx = contextFor(site, request);
    if (!formAllowed(site, request)) {
      reply.status(403).send('This form came from another site');
      return null;
    }
    const me = await requirePermission(ctx, request, reply, 'catalog.write');
    return me ? { ctx, me, body: (request.body as FormBody) ?? {} } : null;
  };

  return async (app: FastifyInstance) => {
    app.get('/categories', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'catalog.read');
      if (!me) return reply;
      return ctx.render(reply, categoriesPage({ csrf: csrf(ctx), rows: await categoryRows(ctx.staff), canWrite: can(me, 'catalog.write') }), me);
    });

    app.post('/categories', async (request, reply) => {
      const w = await writer(request, reply);
      if (!w) return reply;
      const values = fieldsOf(w.body);
      try {
        const created = await createCategory(w.ctx.staff, values);
        return w.ctx.redirect(reply, `/categories?done=${encodeURIComponent(`Category ${created.name} created`)}`);
      } catch (error) {
        const problem = problemOf(error, 'new', { ...values, parentId: values.parentId ?? '' });
        return w.ctx.render(reply, categoriesPage({ csrf: csrf(w.ctx), rows: await categoryRows(w.ctx.staff), canWrite: true, problem }), w.me);
      }
    });

    app.get<{ Params: Params }>('/categories/:id', async (request, reply) => {
      const ctx = contextFor(site, request);
      const me = await requirePermission(ctx, request, reply, 'catalog.write');
      if (!me) return reply;
      if (!uuid.test(request.params.id)) return ctx.render(reply, notFoundPage(), me);
      return renderCategory(ctx, reply, me, request.params.id);
    });

    app.post<{ Params: Params }>('/categories/:id', async (request, reply) => {
      const w = await writer(request, reply);
      if (!w) return reply;
      const { id } = request.params;
      if (!uuid.test(id)) return w.ctx.render(reply, notFoundPage(), w.me);
      const values = fieldsOf(w.body);
      try {
        const saved = await updateCategory(w.ctx.staff, id, values);
        return w.ctx.redirect(reply, `/categories?done=${encodeURIComponent(`Category ${saved.name} saved`)}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return w.ctx.render(reply, notFoundPage(), w.me);
        return renderCategory(w.ctx, reply, w.me, id, problemOf(error, 'details', { ...values, parentId: values.parentId ?? '' }));
      }
    });

    app.post<{ Params: Params }>('/categories/:id/delete', async (request, reply) => {
      const w = await writer(request, reply);
      if (!w) return reply;
      const { id } = request.params;
      if (!uuid.test(id)) return w.ctx.render(reply, notFoundPage(), w.me);
      if (one(w.body, 'confirm') !== 'yes') {
        const name = (await categoryRows(w.ctx.staff)).find((r) => r.id === id)?.name ?? 'this category';
        return w.ctx.render(reply, confirmPage({ question: `Delete the category ${name}? This cannot be undone.`, action: request.url, csrf: csrf(w.ctx), fields: {}, back: `/categories/${id}` }), w.me);
      }
      try {
        await deleteCategory(w.ctx.staff, id);
        return w.ctx.redirect(reply, `/categories?done=${encodeURIComponent('Category deleted')}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return w.ctx.render(reply, notFoundPage(), w.me);
        return renderCategory(w.ctx, reply, w.me, id, problemOf(error, 'delete', {}));
      }
    });
  };
}
