import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '@shop/platform';
import { requireAdminToken } from './admin-auth.ts';
import { fail, keySchema, publicKey } from './tenant-http.ts';
import type { TenantsApi } from './tenants-api.ts';
import { MAX_VISIT_TIMEOUT_MINUTES } from './tenant.ts';

const tenantSchema = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  createdAt: z.string(),
  dailyQuota: z.number().int(),
  rateLimitPerSecond: z.number().int(),
  maxEventAgeDays: z.number().int().optional(),
  visitTimeoutMinutes: z.number().int().optional(),
});
const tenantParams = z.object({ id: z.string().min(1).max(48) });
/** Paging and filtering of tenant lists; without `limit`, every match. */
export const tenantListQuery = z.object({
  q: z.string().max(100).optional().describe('part of the id or the name (case-insensitive)'),
  after: z.string().max(48).optional().describe('the next cursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** `/admin/tenants...`: tenant and key administration behind the admin token. */
export async function registerTenantAdminRoutes(
  app: FastifyInstance,
  deps: { tenants: TenantsApi; adminToken: string | undefined },
): Promise<void> {
  // Its own plugin scope, so the admin-token hook guards these routes and no others.
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ['admin: tenants'];
    const security = [{ adminToken: [] }];
    api.addHook('preHandler', requireAdminToken(deps.adminToken));

    api.post(
      '/admin/tenants',
      {
        schema: {
          tags,
          security,
          summary: 'Create a tenant',
          body: z.object({
            id: z.string().min(1).max(48).describe('lowercase slug, e.g. "acme-shop"'),
            name: z.string().min(1).max(200),
            timeZone: z.string().min(1).max(64).describe('IANA zone, e.g. "Europe/Paris"'),
            dailyQuota: z.number().int().positive().optional(),
            rateLimitPerSecond: z.number().int().positive().optional(),
            maxEventAgeDays: z
              .number()
              .int()
              .positive()
              .max(36_500)
              .optional()
              .describe('oldest event accepted, in days before its arrival; absent: ANALYTICS_MAX_EVENT_AGE_DAYS'),
            visitTimeoutMinutes: z
              .number()
              .int()
              .min(1)
              .max(MAX_VISIT_TIMEOUT_MINUTES)
              .optional()
              .describe('minutes without an event after which a visit ends; absent: 30'),
          }),
          response: { 201: tenantSchema },
        },
      },
      async (request, reply) => {
        const created = await deps.tenants.createTenant(request.body);
        if (!created.ok) throw fail(created.error);
        return reply.status(201).send(created.value);
      },
    );

    api.get(
      '/admin/tenants',
      {
        schema: {
          tags,
          security,
          summary: 'List tenants in id order; with limit, a page and the cursor of the next',
          querystring: tenantListQuery,
          response: { 200: z.object({ tenants: z.array(tenantSchema), next: z.string().optional().describe('pass as after for the next page') }) },
        },
      },
      (request) => deps.tenants.listTenantPage(request.query),
    );

    api.get(
      '/admin/tenants/:id',
      {
        schema: {
          tags,
          security,
          summary: 'A tenant and its keys (hashes never leave the server)',
          params: tenantParams,
          response: { 200: z.object({ tenant: tenantSchema, keys: z.array(keySchema) }) },
        },
      },
      async (request) => {
        const tenant = await deps.tenants.getTenant(request.params.id);
        if (!tenant.ok) throw fail(tenant.error);
        const keys = await deps.tenants.listKeys(request.params.id);
        if (!keys.ok) throw fail(keys.error);
        return { tenant: tenant.value, keys: keys.value.map(publicKey) };
      },
    );

    api.post(
      '/admin/tenants/:id/keys',
      {
        schema: {
          tags,
          security,
          summary: 'Create a write or read key; the plain key is in this response only',
          params: tenantParams,
          body: z.object({ kind: z.enum(['write', 'read']), label: z.string().max(100).optional() }),
          response: { 201: z.object({ key: keySchema, plainKey: z.string() }) },
        },
      },
      async (request, reply) => {
        const created = await deps.tenants.createKey(request.params.id, request.body.kind, request.body.label);
        if (!created.ok) throw fail(created.error);
        return reply.status(201).send({ key: publicKey(created.value.key), plainKey: created.value.plainKey });
      },
    );

    api.delete(
      '/admin/tenants/:id/keys/:keyId',
      {
        schema: {
          tags,
          security,
          summary: 'Revoke a key (idempotent)',
          params: tenantParams.extend({ keyId: z.string().min(1).max(64) }),
          response: { 200: z.object({ key: keySchema }) },
        },
      },
      async (request) => {
        const revoked = await deps.tenants.revokeKey(request.params.id, request.params.keyId);
        if (!revoked.ok) throw fail(revoked.error);
        return { key: publicKey(revoked.value) };
      },
    );
  });
}
