import { unauthorized, type ZodTypeProvider } from '@shop/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { changePassword } from '../application/change-password.ts';
import { getUser } from '../application/get-user.ts';
import { logIn } from '../application/log-in.ts';
import { logOut } from '../application/log-out.ts';
import { registerUser } from '../application/register-user.ts';
import type { IssuedSession } from '../domain/session.ts';
import type { User } from '../domain/user.ts';
import { clearSessionCookies, DEVICE_COOKIE, setDeviceCookie, setSessionCookies } from './session-cookies.ts';
import { toSignedInDto, toUserDto } from './users.dto.ts';
import { SIGNED_IN, type UsersHttpContext } from './users.http-context.ts';
import { toHttpError } from './users.http-errors.ts';
import { changePasswordBody, logInBody, registerBody, registeredDto, signedInDto, userDto } from './users.schemas.ts';

const tags = ['users'];
const REGISTERED = 'Registration received: sign in with this email and password. If the address already had an account, its owner has been emailed.';
const DEVICE_TOKEN = /^[A-Za-z0-9_-]{20,128}$/;

/** The device token a client presents: the cookie (browsers) or `x-device-token` (apps); malformed ones are ignored. */
function presentedDevice(request: FastifyRequest): string | undefined {
  const header = request.headers['x-device-token'];
  const token = typeof header === 'string' ? header : request.cookies?.[DEVICE_COOKIE];
  return token && DEVICE_TOKEN.test(token) ? token : undefined;
}

/** Register, log in, log out, change password and `GET /me`. */
export async function authRoutes(app: FastifyInstance, ctx: UsersHttpContext): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();

  const signedIn = async (request: FastifyRequest, reply: FastifyReply, user: User, session: IssuedSession, deviceToken: string) => {
    setSessionCookies(reply, session, ctx.cookieSecure);
    setDeviceCookie(reply, deviceToken, ctx.cookieSecure);
    try {
      await ctx.onSignedIn({ userId: user.id, request });
    } catch (error) {
      // Merging the guest cart is a convenience; the sign-in itself already succeeded.
      ctx.logger.error({ err: error, userId: user.id }, 'onSignedIn hook failed');
    }
    return toSignedInDto(user, session, deviceToken);
  };

  api.post(
    '/auth/register',
    {
      schema: {
        tags,
        summary: 'Create a customer account; then sign in',
        description:
          'Answers 202 alike whether or not the address already has an account, so nobody learns which addresses do; ' +
          'the owner of an existing account is emailed that someone tried to register with it.',
        body: registerBody,
        response: { 202: registeredDto },
      },
    },
    async (request, reply) => {
      const result = await registerUser(ctx.deps, request.body);
      if (!result.ok) throw toHttpError(result.error);
      return reply.status(202).send({ message: REGISTERED });
    },
  );

  api.post(
    '/auth/login',
    {
      schema: {
        tags,
        summary: 'Sign in; sets the sid and csrf_token cookies and returns a bearer token',
        body: logInBody,
        response: { 200: signedInDto },
      },
    },
    async (request, reply) => {
      const result = await logIn(ctx.deps, { ...request.body, ip: request.ip, deviceToken: presentedDevice(request) });
      if (!result.ok) throw toHttpError(result.error);
      return signedIn(request, reply, result.value.user, result.value.session, result.value.deviceToken);
    },
  );

  api.post(
    '/auth/logout',
    { schema: { tags, security: SIGNED_IN, summary: 'Revoke the current session' } },
    async (request, reply) => {
      const principal = await ctx.auth.requireUser(request);
      await logOut(ctx.deps, principal.sessionId);
      clearSessionCookies(reply, ctx.cookieSecure);
      return reply.status(204).send();
    },
  );

  api.get('/me', { schema: { tags, security: SIGNED_IN, summary: 'The signed-in user', response: { 200: userDto } } }, async (request) => {
    const principal = await ctx.auth.requireUser(request);
    const user = await getUser(ctx.deps, principal.userId);
    if (!user) throw unauthorized();
    return toUserDto(user);
  });

  api.put(
    '/me/password',
    {
      schema: {
        tags,
        security: SIGNED_IN,
        summary: 'Change the password; signs out every other session',
        body: changePasswordBody,
      },
    },
    async (request, reply) => {
      const principal = await ctx.auth.requireUser(request);
      const result = await changePassword(ctx.deps, {
        userId: principal.userId,
        sessionId: principal.sessionId,
        ...request.body,
      });
      if (!result.ok) throw toHttpError(result.error);
      return reply.status(204).send();
    },
  );
}
