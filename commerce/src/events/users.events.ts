import { z } from 'zod';
import { defineEvent } from '../shared/events/domain-event.ts';

/**
 * Someone tried to register with the email of an existing account. The register answer does not
 * say so (it would reveal the account); notifications tells the owner by email instead.
 */
export const ExistingAccountRegistrationAttempted = defineEvent(
  'users.existing_account_registration_attempted.v1',
  z.object({ userId: z.uuid(), email: z.email() }),
);
