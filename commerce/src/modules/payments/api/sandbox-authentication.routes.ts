import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '@shop/platform';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { authenticateInSandbox } from '../application/authenticate-in-sandbox.ts';
import type { PaymentsContext } from '../application/payments.context.ts';
import type { SandboxGateway } from '../infrastructure/sandbox.gateway.ts';
import { toHttpError } from './payments.http-errors.ts';
import { viewerOf } from './payment-viewer.http.ts';
import { errorResponses, orderParams, orderTokenHeaders } from './payments.schemas.ts';

const body = z.strictObject({ result: z.enum(['approved', 'refused'], { message: 'must be approved or refused' }) });

/**
 * The sandbox gateway's stand-in for a card issuer's 3-D Secure page, mounted only with the sandbox.
 * Who may answer is who may read the order: its customer, an admin, or a guest with the order token.
 */
export function sandboxAuthenticationRoutes(ctx: PaymentsContext, sandbox: SandboxGateway, auth: Authenticator) {
  return async (root: FastifyInstance): Promise<void> => {
    root.withTypeProvider<ZodTypeProvider>().post(
      '/payments/:orderId/sandbox-authentication',
      {
        schema: {
          tags: ['payments'],
          summary: "Sandbox only: the shopper approves or refuses the card's 3-D Secure step; the sandbox then sends its webhook",
          security: [{ session: [] }, { bearer: [] }, {}],
          params: orderParams,
          headers: orderTokenHeaders,
          body,
          response: { 202: z.object({ orderId: z.string(), result: body.shape.result }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const answered = await authenticateInSandbox(ctx, sandbox, request.params.orderId, request.body.result, await viewerOf(request, auth));
        if (!answered.ok) throw toHttpError(answered.error);
        return reply.status(202).send(answered.value);
      },
    );
  };
}
