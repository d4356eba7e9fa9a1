import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound, type ZodTypeProvider } from '@shop/platform';
import { requireAdminToken, tenantListQuery, type TenantsApi } from '../tenants/index.ts';
import type { UsageReader } from './tenant-usage.ts';

const count = z.number().int().nonnegative();
export const usageSchema = z.object({
  tenantId: z.string(),
  timeZone: z.string(),
  today: z
    .object({ day: z.string(), dailyQuota: count, used: count, remaining: count, resetsInSeconds: count })
    .describe("events counted against the quota on the tenant's current day (every instance, with REDIS_URL)"),
  sinceStart: z
    .object({
      since: z.string().describe('when this instance started counting'),
      accepted: count.describe('events appended to the log, bots included'),
      bots: count.describe('accepted events flagged as bots by user agent'),
      duplicates: count.describe('events skipped as messageId duplicates'),
      rejected: count,
      rejectedByReason: z.record(z.string(), count),
    })
    .describe("this instance's collector counters since it started (per process)"),
});

/** `/admin/usage` and `/admin/tenants/:id/usage`: ingest counts, quota use and rejections, behind the admin token. */
export async function registerUsageRoutes(app: FastifyInstance, deps: { tenants: TenantsApi; usage: UsageReader; adminToken: string | undefined }): Promise<void> {
  await app.register(async (scope) => {
    const api = scope.withTypeProvider<ZodTypeProvider>();
    const tags = ['admin: tenants'];
    const security = [{ adminToken: [] }];
    api.addHook('preHandler', requireAdminToken(deps.adminToken));

    api.get(
      '/admin/usage',
      {
        schema: {
          tags,
          security,
          summary: "Tenants' usage, in id order: today against the quota, and what the collector did",
          querystring: tenantListQuery,
          response: { 200: z.object({ tenants: z.array(usageSchema), next: z.string().optional().describe('pass as after for the next page') }) },
        },
      },
      async (request) => {
        const page = await deps.tenants.listTenantPage(request.query);
        return { tenants: await deps.usage(page.tenants), ...(page.next ? { next: page.next } : {}) };
      },
    );

    api.get(
      '/admin/tenants/:id/usage',
      {
        schema: {
          tags,
          security,
          summary: "A tenant's usage: today against its quota, and what the collector did",
          params: z.object({ id: z.string().min(1).max(48) }),
          response: { 200: usageSchema },
        },
      },
      async (request) => {
        const tenant = await deps.tenants.getTenant(request.params.id);
        if (!tenant.ok) throw notFound(`Tenant ${request.params.id}`);
        const [usage] = await deps.usage([tenant.value]);
        return usage!;
      },
    );
  });
}
