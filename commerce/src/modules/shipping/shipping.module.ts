import { randomUUID } from 'node:crypto';
import type { Logger } from '@shop/platform';
import { noAuditTrail, type AuditTrail } from '../../shared/audit/audit-trail.ts';
import type { Database } from '../../shared/database/index.ts';
import type { EventBus } from '../../shared/events/index.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { OrderPaid } from '../../events/orders.events.ts';
import { shippingRoutes, type SandboxControl } from './api/shipping.routes.ts';
import { purchaseLabel } from './application/purchase-label.ts';
import { quoteShipping } from './application/quote-shipping.ts';
import type { ShippingContext } from './application/shipping.context.ts';
import type { QuoteRequest, ShipmentView, ShippingQuoteOption } from './application/shipping.dto.ts';
import { listShipments } from './application/list-shipments.ts';
import type { ShippingErrorCode } from './domain/shipping.errors.ts';
import type { ShippingProvider } from './application/ports/shipping-provider.port.ts';
import { createShipmentRepository } from './infrastructure/shipment.repository.ts';
import { shippingMigrations } from './infrastructure/shipping.migrations.ts';

export interface ShippingModuleDeps {
  db: Database;
  events: EventBus;
  provider: ShippingProvider;
  /**
   * The sandbox carrier's demo control, for `POST /api/admin/shipments/:id/advance`. Pass the
   * sandbox carrier itself; leave out with a real carrier (the route then answers 409).
   */
  sandbox?: SandboxControl;
  auth: Authenticator;
  /** Where staff moving a shipment by hand is recorded; nothing is recorded without one (module tests). */
  audit?: AuditTrail;
  logger: Logger;
  /** Converts carrier prices into the order's currency (pricing's rates); without it only the carrier's currency is offered. */
  convert?: (amountMinor: number, from: string, to: string) => Promise<number | null>;
  /** Pinned in tests; the system clock and random uuids otherwise. */
  now?: () => Date;
  newId?: () => string;
}

/** Shaped like the orders module's `ShippingQuotes` port, so `shipping.api` plugs into it as is. */
export type QuoteResult = { ok: true; options: ShippingQuoteOption[] } | { ok: false; code: ShippingErrorCode; message: string };

/** What other modules may ask of shipping: orders quotes options at checkout and lists an order's shipments. */
export interface ShippingApi {
  /**
   * Options and prices for an order's parcel, cheapest first, in the order's currency.
   *
   * @example
   * const r = await shipping.api.quote({ weightGrams: 1200, subtotalMinor: 3000, currency: 'EUR', country: 'FR' });
   * if (r.ok) r.options // [{ id: 'standard', name: 'Standard', priceMinor: 490, currency: 'EUR', estimatedDays: { min: 3, max: 5 } }, ...]
   */
  quote(request: QuoteRequest): Promise<QuoteResult>;
  /** An order's shipments (at most one today), for the admin's order detail. */
  shipmentsOf(orderId: string): Promise<ShipmentView[]>;
}

export const SHIPPING_SUBSCRIBER = 'shipping';

/**
 * Shipping, in the `shipping` schema: quotes through the carrier, a label for every paid order
 * (`orders.order_paid.v1` → `shipping.label_purchased.v1`), and the carrier's tracking webhooks
 * (→ `shipping.shipment_status_changed.v1`).
 */
export function createShippingModule(
  deps: ShippingModuleDeps,
): CommerceModule<ShippingApi> & Required<Pick<CommerceModule<ShippingApi>, 'migrations' | 'routes'>> {
  const ctx: ShippingContext = {
    db: deps.db,
    events: deps.events,
    provider: deps.provider,
    shipments: createShipmentRepository(),
    audit: deps.audit ?? noAuditTrail,
    convert: deps.convert ?? null,
    now: deps.now ?? (() => new Date()),
    newId: deps.newId ?? randomUUID,
  };
  deps.events.subscribe(SHIPPING_SUBSCRIBER, OrderPaid, async (event, handler) => {
    await purchaseLabel(ctx, event, handler);
    handler.logger.info({ orderId: event.payload.orderId }, 'label purchased');
  });
  return {
    name: 'shipping',
    api: {
      async quote(request) {
        const r = await quoteShipping(ctx, request);
        return r.ok ? { ok: true, options: r.value } : { ok: false, code: r.error.code, message: r.error.message };
      },
      shipmentsOf: async (orderId) => (await listShipments(ctx, { orderId }))?.shipments ?? [],
    },
    migrations: shippingMigrations,
    routes: shippingRoutes(ctx, deps.auth, deps.sandbox),
  };
}
