import type { ZodTypeProvider } from '@shop/platform';
import type { FastifyInstance } from 'fastify';
import { getUser } from '../application/get-user.ts';
import { listUsers } from '../application/list-users.ts';
import { UsersErrors } from '../domain/users.errors.ts';
import { toUserDto } from './users.dto.ts';
import { SIGNED_IN, type UsersHttpContext } from './users.http-context.ts';
import { toHttpError } from './users.http-errors.ts';
import { idParams, pageQuery, userDto, userPageDto } from './users.schemas.ts';

const tags = ['admin'];

export async function adminRoutes(app: FastifyInstance, ctx: UsersHttpContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/admin/users',
    { schema: { tags, security: SIGNED_IN, summary: 'All users, oldest first', querystring: pageQuery, response: { 200: userPageDto } } },
    async (request) => {
      await ctx.auth.requireAdmin(request);
      const { limit, offset } = request.query;
      const page = await listUsers(ctx.deps, { limit, offset });
      return { users: page.users.map(toUserDto), total: page.total, limit, offset };
    },
  );

  api.get(
    '/admin/users/:id',
    { schema: { tags, security: SIGNED_IN, summary: 'One user', params: idParams, response: { 200: userDto } } },
    async (request) => {
      await ctx.auth.requireAdmin(request);
      const user = await getUser(ctx.deps, request.params.id);
      if (!user) throw toHttpError({ code: UsersErrors.USER_NOT_FOUND });
      return toUserDto(user);
    },
  );
}
