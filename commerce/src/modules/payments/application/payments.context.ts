import type { Logger } from '@shop/platform';
import type { Database } from '../../../shared/database/database.ts';
import type { EventBus } from '../../../shared/events/index.ts';
import type { ChargeMemory } from './charge-memory.ts';
import type { PaymentGateway } from './ports/payment-gateway.port.ts';
import type { PaymentRepository } from './ports/payment.repository.ts';

/** What every payments use case runs with; built once by the module factory. */
export interface PaymentsContext {
  db: Database;
  events: EventBus;
  gateway: PaymentGateway;
  payments: PaymentRepository;
  /** This process's charges in flight and what they committed: the webhooks about them need no read. */
  charges: ChargeMemory;
  logger: Logger;
  /** Attempts at the gateway per order (the charge subscription's retry limit). */
  maxAttempts: number;
  now: () => Date;
  newId: () => string;
}
