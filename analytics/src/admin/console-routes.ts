import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { consoleApi, fieldErrors, type ErasureView, type KeyView, type TenantUsage, type TenantView } from './console-api.ts';
import { cookieOf, crossSite, type Form, HEADERS, numberField, refuseCrossSite } from './console-requests.ts';
import { createConsoleSessions, type ConsoleSession } from './console-session.ts';
import { document, notFoundPage, type ConsolePage } from './pages/layout.ts';
import { erasureConfirmPage, erasurePage, keyCreatedPage, revokeConfirmPage } from './pages/action-pages.ts';
import { consoleOffPage, signInPage } from './pages/sign-in.ts';
import { TENANT_FIELDS, tenantFormPage, type TenantFormState } from './pages/tenant-form-page.ts';
import { tenantPage } from './pages/tenant-page.ts';
import { tenantsPage } from './pages/tenants-page.ts';

export interface ConsoleRoutesOptions {
  adminToken: string | undefined;
  /** Served over HTTPS: the session cookie gets `Secure`. */
  secureCookie: boolean;
  defaults: { dailyQuota: number; rateLimitPerSecond: number; maxEventAgeDays: number; keyCacheTtlMs: number };
  now?: () => number;
}

const COOKIE = 'analytics_console';
// Long enough for a working session, short enough that a forgotten browser does not stay signed in for days.
const SESSION_MS = 8 * 3_600_000;
const NOTICES: Record<string, string> = {
  created: 'Tenant created.',
  revoked: 'Key revoked.',
};
const PAGE_SIZE = 50;
const SLUG = /^[a-z0-9][a-z0-9-]{0,47}$/;
const KEY_ID = /^key_[0-9a-f]{16}$/;
const ERASURE_ID = /^er-[0-9a-f]{24}$/;

/**
 * The analytics console at `/console`: server-rendered pages (no script) over the admin API for
 * tenants, keys, usage and erasures. Signing in posts the admin token once; the answer is a
 * session cookie (HttpOnly, SameSite=Strict, signed with a key derived from the token), and every
 * form carries the session's CSRF token. Nothing secret is ever put in a URL.
 */
export async function registerConsoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const assets = new Map(
    [
      ['console.css', 'text/css; charset=utf-8'],
    ].map(([name, type]) => [name!, { body: readFileSync(join(import.meta.dirname, 'public', name!)), type: type! }]),
  );
  const sessions = options.adminToken ? createConsoleSessions(options.adminToken, SESSION_MS) : undefined;
  const api = options.adminToken ? consoleApi(app, options.adminToken) : undefined;

  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });

    const send = (reply: FastifyReply, page: ConsolePage, session: ConsoleSession | null, notice?: string) =>
      reply
        .headers(HEADERS)
        .code(page.status ?? 200)
        .type('text/html; charset=utf-8')
        .send(document(page, { ...(session ? { csrf: session.csrf } : {}), ...(notice ? { notice } : {}) }));
    const sessionOf = (request: FastifyRequest) => sessions?.verify(cookieOf(request, COOKIE), now()) ?? null;
    const cookie = (value: string, maxAgeSeconds: number) =>
      `${COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${options.secureCookie ? '; Secure' : ''}`;

    /**
     * Every page but sign-in needs a session, and every POST its CSRF token. A POST from another
     * site is refused before that, by the browser's own Sec-Fetch-Site / Origin headers.
     */
    const guard = async (request: FastifyRequest, reply: FastifyReply): Promise<ConsoleSession | null> => {
      if (!sessions || !api) {
        await send(reply, consoleOffPage(), null);
        return null;
      }
      if (request.method === 'POST' && crossSite(request)) {
        await refuseCrossSite(reply);
        return null;
      }
      const session = sessionOf(request);
      if (!session) {
        if (request.method === 'GET') await reply.redirect('/console', 303);
        else await send(reply, signInPage('Your session has ended: sign in again, then repeat the action.'), null);
        return null;
      }
      if (request.method === 'POST' && !sessions.checkCsrf(session, (request.body as Form | undefined)?._csrf)) {
        await reply.code(403).type('text/plain; charset=utf-8').send('The form token is missing or stale: reload the page and try again');
        return null;
      }
      return session;
    };

    const tenantData = async (id: string) => {
      const [detail, usage, erasures] = await Promise.all([
        api!<{ tenant: TenantView; keys: KeyView[] }>('GET', `/admin/tenants/${id}`),
        api!<TenantUsage>('GET', `/admin/tenants/${id}/usage`),
        api!<{ erasures: ErasureView[] }>('GET', `/admin/tenants/${id}/erasures`),
      ]);
      if (!detail.ok || !usage.ok || !erasures.ok) return null;
      return { ...detail.body, usage: usage.body, erasures: erasures.body.erasures };
    };

    scope.get('/console/assets/:file', { schema: { hide: true } }, async (request, reply) => {
      const asset = assets.get((request.params as { file: string }).file);
      if (!asset) return send(reply, notFoundPage('This file'), null);
      return reply.headers({ ...HEADERS, 'cache-control': 'no-cache' }).type(asset.type).send(asset.body);
    });

    scope.get('/console', { schema: { hide: true } }, async (request, reply) => {
      if (!sessions || !api) return send(reply, consoleOffPage(), null);
      const session = sessionOf(request);
      if (!session) return send(reply, signInPage(), null);
      const { done, q = '', after = '' } = request.query as { done?: string; q?: string; after?: string };
      const list = new URLSearchParams({ limit: String(PAGE_SIZE), ...(q ? { q } : {}), ...(after ? { after } : {}) });
      // The same page twice (a page reads only its own tenants); usage in one call reads the counters once.
      const [tenants, usage] = await Promise.all([
        api<{ tenants: TenantView[]; next?: string }>('GET', `/admin/tenants?${list}`),
        api<{ tenants: TenantUsage[] }>('GET', `/admin/usage?${list}`),
      ]);
      if (!tenants.ok) return send(reply, tenantsPage({ tenants: [], usage: [], q, after, problem: tenants.error.message }), session);
      const usageRows = usage.ok ? usage.body.tenants : [];
      return send(reply, tenantsPage({ tenants: tenants.body.tenants, usage: usageRows, q, after, next: tenants.body.next }), session, done ? NOTICES[done] : undefined);
    });

    scope.post('/console/sign-in', { schema: { hide: true } }, async (request, reply) => {
      if (!sessions) return send(reply, consoleOffPage(), null);
      // Signing a victim's browser in to a session of the attacker's choosing needs a cross-site post too.
      if (crossSite(request)) return refuseCrossSite(reply);
      const token = (request.body as Form | undefined)?.token ?? '';
      if (!token) return send(reply, signInPage('Enter the admin token.'), null);
      if (!sessions.isAdminToken(token)) return send(reply, signInPage('That is not the admin token.'), null);
      const { cookie: value } = sessions.issue(now());
      return reply.header('set-cookie', cookie(value, SESSION_MS / 1000)).redirect('/console', 303);
    });

    scope.post('/console/sign-out', { schema: { hide: true } }, async (request, reply) => {
      if (!(await guard(request, reply))) return reply;
      return reply.header('set-cookie', cookie('', 0)).redirect('/console', 303);
    });

    scope.get('/console/tenants/new', { schema: { hide: true } }, async (request, reply) => {
      const session = await guard(request, reply);
      if (!session) return reply;
      return send(reply, tenantFormPage(session.csrf, options.defaults), session);
    });

    scope.post('/console/tenants', { schema: { hide: true } }, async (request, reply) => {
      const session = await guard(request, reply);
      if (!session) return reply;
      const form = request.body as Form;
      const values = Object.fromEntries(TENANT_FIELDS.map((f) => [f, form[f] ?? ''])) as TenantFormState['values'];
      const payload = Object.fromEntries(
        Object.entries({
          id: values.id?.trim(),
          name: values.name?.trim(),
          timeZone: values.timeZone?.trim(),
          dailyQuota: numberField(values.dailyQuota),
          rateLimitPerSecond: numberField(values.rateLimitPerSecond),
          maxEventAgeDays: numberField(values.maxEventAgeDays),
        }).filter(([, v]) => v !== undefined),
      );
      const created = await api!<TenantView>('POST', '/admin/tenants', payload);
      if (created.ok) return reply.redirect(`/console/tenants/${created.body.id}?done=created`, 303);
      const { byField, rest } = fieldErrors(created.error, TENANT_FIELDS);
      return send(reply, tenantFormPage(session.csrf, options.defaults, { values, errors: byField, problems: rest }), session);
    });

    scope.get('/console/tenants/:id', { schema: { hide: true } }, async (request, reply) => {
      const session = await guard(request, reply);
      if (!session) return reply;
      const { id } = request.params as { id: string };
      const data = SLUG.test(id) ? await tenantData(id) : null;
      if (!data) return send(reply, notFoundPage(`Tenant ${id}`), session);
      const done = (request.query as { done?: string }).done;
      return send(reply, tenantPage(data, session.csrf), session, done ? NOTICES[done] : undefined);
    });

    scope.post('/console/tenants/:id/keys', { schema: { hide: true } }, async (request, reply) => {
      const session = await guard(request, reply);
      if (!session) return reply;
      const { id } = request.params as { id: string };
      const form = request.body as Form;
      const label = (form.label ?? '').trim();
      const created = SLUG.test(id)
        ? await api!<{ key: KeyView; plainKey: string }>('POST', `/admin/tenants/${id}/keys`, { kind: form.kind, ...(label ? { label } : {}) })
        : null;
      const data = SLUG.test(id) ? await tenantData(id) : null;
      if (!data || !created) return send(reply, notFoundPage(`Tenant ${id}`), session);
      if (created.ok) return send(reply, keyCreatedPage(data.tenant, created.body.key, created.body.plainKey), session);
      const { byField, rest } = fieldErrors(created.error, ['label']);
      return send(reply, tenantPage(data, session.csrf, { key: { label, errors: byField, problems: rest } }), session);
    });

    const keyOf = async (request: FastifyRequest) => {
      const { id, keyId } = request.params as { id: string; keyId: string };
      if (!SLUG.test(id) || !KEY_ID.test(keyId)) return null;
      const detail = await api!<{ tenant: TenantView; keys: KeyView[] }>('GET', `/admin/tenants/${id}`);
      const key = detail.ok ? detail.body.keys.find((k) => k.id === keyId) : undefined;
      return detail.ok && key ? { tenant: detail.body.tenant, key } : null;
    };

    scope.get('/console/tenants/:id/keys/:keyId/revoke', { schema: { hide: true } }, async (request, reply) => {
      const session = await guard(request, reply);
      if (!session) return reply;
      const found = await keyOf(request);
      if (!found) return send(reply, notFoundPage('Key'), session);
      return send(reply, revokeConfirmPage(found.tenant, found.key, session.csrf, Math.ceil(options.defaults.keyCacheTtlMs / 1000)), session);
    });

    scope.post('/console/tenants/:id/keys/:keyId/revoke', { schema: { hide: true } }, async (request, reply) => {
      const session = await guard(request, reply);
      if (!session) return reply;
      const found = await keyOf(request);
      if (!found) return send(reply, notFoundPage('Key'), session);
      const revoked = await api!('DELETE', `/admin/tenants/${found.tenant.id}/keys/${found.key.id}`);
      if (!revoked.ok) throw new Error(`the admin API refused a revocation: ${revoked.error.message}`);
      return reply.redirect(`/console/tenants/${found.tenant.id}?done=revoked`, 303);
    });

    scope.post('/console/tenants/:id/erasures', { schema: { hide: true } }, async (request, reply) => {
      const session = await guard(request, reply);
      if (!session) return reply;
      const { id } = request.params as { id: string };
      const form = request.body as Form;
      const userId = (form.userId ?? '').trim();
      const anonymousIds = (form.anonymousIds ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
      const data = SLUG.test(id) ? await tenantData(id) : null;
      if (!data) return send(reply, notFoundPage(`Tenant ${id}`), session);
      const refused = (errors: Record<string, string>, problems: string[]) =>
        send(reply, tenantPage(data, session.csrf, { erasure: { userId, anonymousIds: anonymousIds.join('\n'), errors, problems } }), session);
      if (!userId && anonymousIds.length === 0) return refused({ userId: 'Name the person: a user id, anonymous ids, or both.' }, []);
      if (form.confirmed !== 'yes') return send(reply, erasureConfirmPage(data.tenant, { userId, anonymousIds }, session.csrf), session);
      const filed = await api!<ErasureView>('POST', `/admin/tenants/${id}/erasures`, { ...(userId ? { userId } : {}), ...(anonymousIds.length ? { anonymousIds } : {}) });
      if (filed.ok) return reply.redirect(`/console/tenants/${id}/erasures/${filed.body.id}`, 303);
      const { byField, rest } = fieldErrors(filed.error, ['userId', 'anonymousIds']);
      return refused(byField, rest);
    });

    scope.get('/console/tenants/:id/erasures/:requestId', { schema: { hide: true } }, async (request, reply) => {
      const session = await guard(request, reply);
      if (!session) return reply;
      const { id, requestId } = request.params as { id: string; requestId: string };
      const [detail, erasure] =
        SLUG.test(id) && ERASURE_ID.test(requestId)
          ? await Promise.all([api!<{ tenant: TenantView }>('GET', `/admin/tenants/${id}`), api!<ErasureView>('GET', `/admin/tenants/${id}/erasures/${requestId}`)])
          : [null, null];
      if (!detail?.ok || !erasure?.ok) return send(reply, notFoundPage('Erasure request'), session);
      return send(reply, erasurePage(detail.body.tenant, erasure.body), session);
    });
  });
}
