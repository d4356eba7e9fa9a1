import type { CommerceConfig } from '../config.ts';
import { auditMigrations } from '../modules/audit/index.ts';
import { catalogMigrations } from '../modules/catalog/index.ts';
import { invoicesMigrations } from '../modules/invoices/index.ts';
import { notificationsMigrations } from '../modules/notifications/index.ts';
import { ordersMigrations } from '../modules/orders/index.ts';
import { paymentsMigrations } from '../modules/payments/index.ts';
import { pricingMigrations } from '../modules/pricing/index.ts';
import { promotionsMigrations } from '../modules/promotions/index.ts';
import { shippingMigrations } from '../modules/shipping/index.ts';
import { trackingMigrations } from '../modules/tracking/index.ts';
import { usersMigrations } from '../modules/users/index.ts';
import type { ModuleMigrations } from '../shared/database/index.ts';
import { eventsMigrations } from '../shared/events/index.ts';

/**
 * Every schema the commerce process owns, in the order app.ts applies them. With
 * PAYMENTS_MODE=remote the payments process applies its own schema (payments-main.ts).
 */
export function commerceMigrations(config: Pick<CommerceConfig, 'PAYMENTS_MODE'>): ModuleMigrations[] {
  return [
    eventsMigrations,
    catalogMigrations,
    usersMigrations,
    auditMigrations,
    pricingMigrations,
    promotionsMigrations,
    ordersMigrations,
    shippingMigrations,
    notificationsMigrations,
    ...(config.PAYMENTS_MODE === 'remote' ? [] : [paymentsMigrations]),
    trackingMigrations,
    invoicesMigrations,
  ];
}
