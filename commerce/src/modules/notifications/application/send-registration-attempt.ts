import type { DomainEvent, HandlerContext } from '../../../shared/events/index.ts';
import { renderRegistrationAttempt } from '../domain/registration-attempt.template.ts';
import { deliverEmail } from './deliver-email.ts';
import type { NotificationsContext } from './notifications.context.ts';

/** Tells an account's owner that someone tried to register with the account's email. */
export async function sendRegistrationAttempt(
  ctx: NotificationsContext,
  event: DomainEvent<string, { userId: string; email: string }>,
  handler: HandlerContext,
): Promise<void> {
  await deliverEmail(ctx, event.payload.email, renderRegistrationAttempt({ email: event.payload.email }), `registration-attempt:${handler.idempotencyKey}`);
}
