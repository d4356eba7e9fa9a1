import type { Logger } from '@shop/platform';
import type { AuditTrail } from '../../../shared/audit/audit-trail.ts';
import type { Database } from '../../../shared/database/database.ts';
import type { Mailer } from './ports/mailer.port.ts';
import type { RecipientRepository } from './ports/recipient.repository.ts';
import type { SentEmailRepository } from './ports/sent-email.repository.ts';

/** What every notification use case runs with; built once by the module factory. */
export interface NotificationsContext {
  db: Database;
  mailer: Mailer;
  recipients: RecipientRepository;
  sentEmails: SentEmailRepository;
  /** Where staff resending an email is recorded. */
  audit: AuditTrail;
  /** Prefixed to every subject, e.g. `Teapot Shop: Order 1001 confirmed`. */
  shopName: string;
  logger: Logger;
}
