import type { Sql } from '../../../../shared/database/database.ts';
import type { SegmentMessage } from '../../domain/segment-message.ts';

/** Where messages for the collector wait until they are forwarded; joins the caller's transaction. */
export interface MessageSpool {
  /** Appends messages; a `messageId` already spooled is skipped, so a redelivered order event adds nothing. */
  spoolMessages(sql: Sql, messages: readonly SegmentMessage[]): Promise<number>;
}
