import type { Database } from '../../../shared/database/index.ts';
import type { EventBus } from '../../../shared/events/index.ts';
import type { RegistrationNotices } from '../application/ports/users.ports.ts';
import { ExistingAccountRegistrationAttempted } from '../../../events/users.events.ts';

/** Through the outbox: the notice is sent once the event is delivered, and survives a crash. */
export function createEventRegistrationNotices(db: Database, events: EventBus): RegistrationNotices {
  return {
    async existingAccount(user) {
      await db.transaction((tx) => events.publish(tx, ExistingAccountRegistrationAttempted.create({ userId: user.id, email: user.email })));
    },
  };
}
