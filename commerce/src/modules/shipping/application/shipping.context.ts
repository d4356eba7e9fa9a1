import type { AuditTrail } from '../../../shared/audit/audit-trail.ts';
import type { Database } from '../../../shared/database/database.ts';
import type { EventBus } from '../../../shared/events/index.ts';
import type { ShippingProvider } from './ports/shipping-provider.port.ts';
import type { ShipmentRepository } from './ports/shipment.repository.ts';

/** What every shipping use case runs with; built once by the module factory. */
export interface ShippingContext {
  db: Database;
  events: Pick<EventBus, 'publish'>;
  provider: ShippingProvider;
  shipments: ShipmentRepository;
  /** Where staff moving a shipment by hand is recorded. */
  audit: AuditTrail;
  /**
   * Converts the carrier's prices into an order's currency (the pricing module's rates, wired by
   * the composition root); null: no conversion, a carrier in another currency cannot be offered.
   */
  convert: ((amountMinor: number, from: string, to: string) => Promise<number | null>) | null;
  now: () => Date;
  newId: () => string;
}
