import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError, unauthorized, type ZodTypeProvider } from '@shop/platform';
import { MAX_SHARE_DAYS } from './share-key.ts';
import { fail, keySchema, publicKey } from './tenant-http.ts';
import type { TenantsApi } from './tenants-api.ts';

const bearerOf = (request: FastifyRequest): string => {
  const header = request.headers.authorization;
  const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (!token) throw unauthorized('Send a read key as Authorization: Bearer <key>');
  return token;
};

const shareKeyBody = z.object({
  expiresAt: z.string().datetime({ offset: true, message: 'must be an ISO 8601 instant, e.g. 2026-12-31T00:00:00Z' }).describe(`at most ${MAX_SHARE_DAYS} days ahead`),
  label: z.string().min(1).max(100).optional().describe('who or what the link is for'),
});

/**
 * `/v1/share-keys`: a read key's holder makes, lists and revokes share keys for its own tenant.
 * A read key already reads everything a share key can, so sharing hands out nothing more; the
 * tenant is the read key's, so no tenant can be named and none other reached. `GET /v1/share-keys/self`
 * tells a share key's holder (the shared dashboard) its own scope and expiry.
 */
export async function registerShareRoutes(app: FastifyInstance, deps: { tenants: TenantsApi }): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['share links'];
  const security = [{ readKey: [] }];
  const readerTenant = async (request: FastifyRequest) => {
    const found = await deps.tenants.authenticate(bearerOf(request), 'read');
    if (!found.ok) throw fail(found.error);
    return found.value;
  };

  api.post(
    '/v1/share-keys',
    {
      schema: {
        tags,
        security,
        summary: `Create a share key: opens this tenant's dashboard read-only until expiresAt (at most ${MAX_SHARE_DAYS} days); the plain key is in this response only`,
        body: shareKeyBody,
        response: { 201: z.object({ key: keySchema, plainKey: z.string(), path: z.string().describe('the shared dashboard, relative to this API') }) },
      },
    },
    async (request, reply) => {
      const tenant = await readerTenant(request);
      const { expiresAt, label } = request.body;
      const created = await deps.tenants.createShareKey(tenant.id, { expiresAt: new Date(expiresAt), ...(label ? { label } : {}) });
      if (!created.ok) throw fail(created.error);
      const { key, plainKey } = created.value;
      return reply.status(201).send({ key: publicKey(key), plainKey, path: `/dashboard#share=${plainKey}` });
    },
  );

  api.get(
    '/v1/share-keys',
    { schema: { tags, security, summary: "The read key's tenant's share keys, revoked and expired ones included", response: { 200: z.object({ keys: z.array(keySchema) }) } } },
    async (request) => {
      const tenant = await readerTenant(request);
      const keys = await deps.tenants.listKeys(tenant.id);
      if (!keys.ok) throw fail(keys.error);
      return { keys: keys.value.filter((k) => k.kind === 'share').map(publicKey) };
    },
  );

  api.delete(
    '/v1/share-keys/:keyId',
    {
      schema: {
        tags,
        security,
        summary: 'Revoke a share key (idempotent); its link stops working at once here, within the key cache TTL elsewhere',
        params: z.object({ keyId: z.string().min(1).max(64) }),
        response: { 200: z.object({ key: keySchema }) },
      },
    },
    async (request) => {
      const tenant = await readerTenant(request);
      const keys = await deps.tenants.listKeys(tenant.id);
      if (!keys.ok) throw fail(keys.error);
      // Only share keys: a read key must not revoke the tenant's write or read keys.
      if (!keys.value.some((k) => k.id === request.params.keyId && k.kind === 'share')) {
        throw new HttpError(404, 'TENANT.KEY_NOT_FOUND', `No share key "${request.params.keyId}" for this tenant`);
      }
      const revoked = await deps.tenants.revokeKey(tenant.id, request.params.keyId);
      if (!revoked.ok) throw fail(revoked.error);
      return { key: publicKey(revoked.value) };
    },
  );

  api.get(
    '/v1/share-keys/self',
    {
      schema: {
        tags,
        security: [{ shareKey: [] }],
        summary: 'The presented share key itself: its scope, expiry and label (what the shared dashboard shows)',
        response: { 200: z.object({ scope: z.enum(['dashboard']), expiresAt: z.string(), label: z.string().optional() }) },
      },
    },
    async (request) => {
      const found = await deps.tenants.authenticateReader(bearerOf(request));
      if (!found.ok) throw fail(found.error);
      const { key } = found.value;
      if (key.kind !== 'share') throw new HttpError(400, 'BAD_REQUEST', `The key ${key.hint} is a ${key.kind} key, not a share key`);
      return { scope: key.scope ?? 'dashboard', expiresAt: key.expiresAt ?? '', ...(key.label ? { label: key.label } : {}) };
    },
  );
}
