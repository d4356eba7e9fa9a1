import type { ZodTypeProvider } from '@shop/platform';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { addAddress } from '../application/add-address.ts';
import { deleteAddress } from '../application/delete-address.ts';
import { getAddress } from '../application/get-address.ts';
import { listAddresses } from '../application/list-addresses.ts';
import { updateAddress } from '../application/update-address.ts';
import { toAddressDto } from './users.dto.ts';
import { SIGNED_IN, type UsersHttpContext } from './users.http-context.ts';
import { toHttpError } from './users.http-errors.ts';
import { addressDto, addressPatchBody, idParams, newAddressBody } from './users.schemas.ts';

const tags = ['addresses'];

/** The caller's saved addresses. Every query is scoped by the caller's id, never by the URL alone. */
export async function addressRoutes(app: FastifyInstance, ctx: UsersHttpContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/me/addresses',
    { schema: { tags, security: SIGNED_IN, summary: 'List my addresses, default first', response: { 200: z.array(addressDto) } } },
    async (request) => {
      const { userId } = await ctx.auth.requireUser(request);
      return (await listAddresses(ctx.deps, userId)).map(toAddressDto);
    },
  );

  api.post(
    '/me/addresses',
    { schema: { tags, security: SIGNED_IN, summary: 'Save an address', body: newAddressBody, response: { 201: addressDto } } },
    async (request, reply) => {
      const { userId } = await ctx.auth.requireUser(request);
      const { line2, region, phone, ...rest } = request.body;
      const address = await addAddress(ctx.deps, userId, { ...rest, line2: line2 ?? null, region: region ?? null, phone: phone ?? null });
      return reply.status(201).send(toAddressDto(address));
    },
  );

  api.get(
    '/me/addresses/:id',
    { schema: { tags, security: SIGNED_IN, summary: 'One of my addresses', params: idParams, response: { 200: addressDto } } },
    async (request) => {
      const { userId } = await ctx.auth.requireUser(request);
      const result = await getAddress(ctx.deps, userId, request.params.id);
      if (!result.ok) throw toHttpError(result.error);
      return toAddressDto(result.value.address);
    },
  );

  api.patch(
    '/me/addresses/:id',
    {
      schema: {
        tags,
        security: SIGNED_IN,
        summary: 'Change some fields of one of my addresses (null clears an optional field)',
        params: idParams,
        body: addressPatchBody,
        response: { 200: addressDto },
      },
    },
    async (request) => {
      const { userId } = await ctx.auth.requireUser(request);
      const result = await updateAddress(ctx.deps, userId, request.params.id, request.body);
      if (!result.ok) throw toHttpError(result.error);
      return toAddressDto(result.value.address);
    },
  );

  api.delete(
    '/me/addresses/:id',
    { schema: { tags, security: SIGNED_IN, summary: 'Delete one of my addresses', params: idParams } },
    async (request, reply) => {
      const { userId } = await ctx.auth.requireUser(request);
      const result = await deleteAddress(ctx.deps, userId, request.params.id);
      if (!result.ok) throw toHttpError(result.error);
      return reply.status(204).send();
    },
  );
}
