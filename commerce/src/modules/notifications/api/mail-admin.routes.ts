import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError, type ZodTypeProvider } from '@shop/platform';
import type { Authenticator } from '../../../shared/http/auth.ts';
import type { MailboxReader } from '../application/ports/mailbox.port.ts';
import { guardPermission } from '../../../shared/http/admin-guard.ts';

const errorSchema = z.object({ error: z.string(), message: z.string(), details: z.unknown().optional(), requestId: z.string() });
const errorResponses = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const entrySchema = z.object({ id: z.string(), to: z.array(z.string()), subject: z.string(), date: z.string() });

/** What a captured email's HTML may do when shown: nothing but look. */
export const MAIL_HTML_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

const mailboxDisabled = () =>
  new HttpError(404, 'NOTIFICATIONS.MAILBOX_DISABLED', 'Mail is sent over SMTP: nothing is captured here. Look in the SMTP server’s mailbox instead.');

/**
 * The admin's view of captured mail (the `.eml` folder), mounted under `/api`. With the SMTP
 * mailer there is nothing to show, and the routes say so with a 404.
 */
export function mailAdminRoutes(mailbox: MailboxReader | undefined, auth: Authenticator) {
  const tags = ['notifications'];
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];

  return async (root: FastifyInstance): Promise<void> => {
    await root.register(
      async (admin) => {
        guardPermission(admin, auth, 'operations.manage');
        const app = admin.withTypeProvider<ZodTypeProvider>();
        app.get(
          '/mail',
          {
            schema: {
              tags,
              security,
              summary: 'Captured emails, newest first (mailbox mailer only)',
              querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
              response: { 200: z.object({ messages: z.array(entrySchema) }), ...errorResponses },
            },
          },
          async (request) => {
            if (!mailbox) throw mailboxDisabled();
            const messages = await mailbox.listMessages({ limit: request.query.limit });
            return { messages: messages.map(({ id, to, subject, date }) => ({ id, to, subject, date })) };
          },
        );

        app.get(
          '/mail/:id',
          {
            schema: {
              tags,
              security,
              summary: 'One captured email: the .eml as text/plain, or parsed with ?format=json',
              params: z.object({ id: z.string().max(128) }),
              querystring: z.object({ format: z.enum(['eml', 'json']).default('eml') }),
              response: {
                200: z.union([z.string(), entrySchema.extend({ text: z.string(), html: z.string() })]),
                ...errorResponses,
              },
            },
          },
          async (request, reply) => {
            if (!mailbox) throw mailboxDisabled();
            const message = await mailbox.readMessage(request.params.id);
            if (!message) throw new HttpError(404, 'NOT_FOUND', `No captured email ${request.params.id}`);
            if (request.query.format === 'json') {
              const { id, to, subject, date, text, html } = message;
              return { id, to, subject, date, text, html };
            }
            return reply.type('text/plain; charset=utf-8').send(message.raw);
          },
        );

        // For an <iframe sandbox>: the CSP's own `sandbox` (no scripts, no forms, an opaque origin)
        // holds even when the page is opened on its own, and nothing but inline styles and data: images loads.
        app.get(
          '/mail/:id/html',
          {
            schema: {
              tags,
              security,
              summary: "One captured email's HTML part, served sandboxed (CSP sandbox, no scripts, nothing loaded from elsewhere)",
              params: z.object({ id: z.string().max(128) }),
              response: { 200: z.string(), ...errorResponses },
            },
          },
          async (request, reply) => {
            if (!mailbox) throw mailboxDisabled();
            const message = await mailbox.readMessage(request.params.id);
            if (!message) throw new HttpError(404, 'NOT_FOUND', `No captured email ${request.params.id}`);
            return reply
              .header('content-security-policy', MAIL_HTML_CSP)
              .header('x-content-type-options', 'nosniff')
              .header('referrer-policy', 'no-referrer')
              .header('cache-control', 'private, no-store')
              .type('text/html; charset=utf-8')
              .send(message.html);
          },
        );
      },
      { prefix: '/admin' },
    );
  };
}
