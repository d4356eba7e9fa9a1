import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from '@shop/platform';
import { authenticateInSandbox } from '../application/authenticate-in-sandbox.ts';
import type { PaymentsContext } from '../application/payments.context.ts';
import type { SandboxGateway } from '../infrastructure/sandbox.gateway.ts';
import { toHttpError } from './payments.http-errors.ts';
import { errorResponses, orderParams } from './payments.schemas.ts';

const body = z.strictObject({ result: z.enum(['approved', 'refused'], { message: 'must be approved or refused' }) });

/**
 * The sandbox gateway's stand-in for a card issuer's 3-D Secure page, mounted only with the sandbox.
 * Anyone holding the order id may answer, as anyone holding the card would: it moves money only in the sandbox.
 */
export function sandboxAuthenticationRoutes(ctx: PaymentsContext, sandbox: SandboxGateway) {
  return async (root: FastifyInstance): Promise<void> => {
    root.withTypeProvider<ZodTypeProvider>().post(
      '/payments/:orderId/sandbox-authentication',
      {
        schema: {
          tags: ['payments'],
          summary: "Sandbox only: the shopper approves or refuses the card's 3-D Secure step; the sandbox then sends its webhook",
          params: orderParams,
          body,
          response: { 202: z.object({ orderId: z.string(), result: body.shape.result }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const answered = await authenticateInSandbox(ctx, sandbox, request.params.orderId, request.body.result);
        if (!answered.ok) throw toHttpError(answered.error);
        return reply.status(202).send(answered.value);
      },
    );
  };
}
