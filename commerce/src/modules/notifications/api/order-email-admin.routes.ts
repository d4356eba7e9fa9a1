import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError, type ZodTypeProvider } from '@shop/platform';
import type { Authenticator } from '../../../shared/http/auth.ts';
import { guardPermission } from '../../../shared/http/admin-guard.ts';
import type { NotificationsContext } from '../application/notifications.context.ts';
import { MailUnavailableError } from '../application/deliver-email.ts';
import { resendOrderConfirmation, type ResendError } from '../application/resend-order-confirmation.ts';

const errorSchema = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional(), requestId: z.string() });
const STATUS: Record<ResendError['code'], number> = {
  'NOTIFICATIONS.ORDER_UNKNOWN': 404,
  'NOTIFICATIONS.NOT_YET_CONFIRMED': 409,
  'NOTIFICATIONS.RECIPIENT_REJECTED': 422,
};

/** Emails about one order an admin may send again, mounted under `/api/admin`. Staff may (permission `orders.manage`). */
export function orderEmailAdminRoutes(ctx: NotificationsContext, auth: Authenticator) {
  return async (root: FastifyInstance): Promise<void> => {
    const caller = guardPermission(root, auth, 'orders.manage');
    root.withTypeProvider<ZodTypeProvider>().post(
      '/orders/:id/confirmation-email',
      {
        schema: {
          tags: ['notifications'],
          security: [{ session: [] }, { bearer: [] }],
          summary: "Send the order's confirmation email again (once per Idempotency-Key)",
          params: z.object({ id: z.uuid({ message: 'must be an order id (uuid)' }) }),
          headers: z.looseObject({
            'idempotency-key': z
              .string({ message: 'required: a unique key per resend (e.g. a UUID), reused on retries' })
              .regex(/^[A-Za-z0-9_.:-]{8,200}$/, { message: 'must be 8-200 letters, digits, dots, colons, dashes or underscores' }),
          }),
          response: {
            200: z.object({ messageId: z.string(), duplicate: z.boolean().describe('true: this key was sent before; nothing new went out'), to: z.string() }),
            400: errorSchema,
            401: errorSchema,
            403: errorSchema,
            404: errorSchema,
            409: errorSchema,
            422: errorSchema,
            503: errorSchema,
          },
        },
      },
      async (request) => {
        let result: Awaited<ReturnType<typeof resendOrderConfirmation>>;
        try {
          result = await resendOrderConfirmation(ctx, request.params.id, request.headers['idempotency-key'], caller(request));
        } catch (error) {
          if (error instanceof MailUnavailableError) throw new HttpError(503, error.code, 'The mail server is unavailable; try again with the same Idempotency-Key');
          throw error;
        }
        if (!result.ok) throw new HttpError(STATUS[result.error.code], result.error.code, result.error.message);
        return result.value;
      },
    );
  };
}
