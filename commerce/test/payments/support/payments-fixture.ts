import { createHash, randomUUID } from 'node:crypto';
import { createLogger, createMetricsRegistry, createServer, forbidden, unauthorized, type HttpServer } from '@shop/platform';
import type { FastifyRequest } from 'fastify';
import { migrate, type Database } from '../../../src/shared/database/index.ts';
import { createEventBus, type DomainEvent, type EventBus, type EventOf } from '../../../src/shared/events/index.ts';
import type { Authenticator, Principal } from '../../../src/shared/http/auth.ts';
import { OrderCancelled, OrderCreated } from '../../../src/events/orders.events.ts';
import { PaymentCompleted, PaymentFailed, PaymentRefunded } from '../../../src/events/payments.events.ts';
import { createPaymentsModule, createSandboxGateway, type SandboxGateway } from '../../../src/modules/payments/index.ts';
import type { TestDatabase } from '../../support/databases.ts';

export { OrderCancelled, OrderCreated };
export const silentLogger = createLogger('payments-test', 'silent');
export const WEBHOOK_SECRET = 'whsec_payments_test';
export const CARDS = {
  ok: '4242424242424242',
  declined: '4000000000000002',
  insufficient: '4000000000009995',
  timeout: '4000000000000119',
  confirm: '4000000000003220',
} as const;

/** `x-test-user: <id>:<role>` stands in for the users module. */
export function testAuthenticator(): Authenticator {
  const identify = async (request: FastifyRequest): Promise<Principal | null> => {
    const [userId, role] = String(request.headers['x-test-user'] ?? '').split(':');
    return userId && (role === 'admin' || role === 'customer') ? { userId, role, sessionId: 's', via: 'bearer' } : null;
  };
  const requireUser = async (request: FastifyRequest) => (await identify(request)) ?? Promise.reject(unauthorized());
  return {
    identify,
    requireUser,
    async requireAdmin(request) {
      const principal = await requireUser(request);
      if (principal.role !== 'admin') throw forbidden('Admins only');
      return principal;
    },
  };
}
export const asAdmin = { 'x-test-user': 'a-1:admin' };
/** The guest order token every `orderCreated` order is placed with (its hash travels on the event). */
export const GUEST_ORDER_TOKEN = 'guest-order-token-for-payments-tests';
export const asGuest = { 'x-order-token': GUEST_ORDER_TOKEN };
export const asCustomer = { 'x-test-user': 'c-1:customer' };

type Published = EventOf<typeof PaymentCompleted> | EventOf<typeof PaymentFailed> | EventOf<typeof PaymentRefunded>;

export interface PaymentsFixture {
  db: Database;
  events: EventBus;
  sandbox: SandboxGateway;
  server: HttpServer;
  /** What an orders-side subscriber received, in order. */
  received: Published[];
  /** Gateway calls made, replays included: `createPaymentIntent`, `capture`, `refund`, `retrieve`. */
  calls: Record<string, number>;
  /**
   * Faults the gateway in front of the sandbox injects: the next `captureTimeouts` captures time
   * out without reaching it; while `captureGate` is set, captures wait for it before reaching it.
   */
  faults: { captureTimeouts: number; captureGate: Promise<void> | null };
  close(): Promise<void>;
}

/** Payments on one migrated database, its bus with fast polls and a tiny retry policy (3 attempts). */
export async function startPayments(opened: TestDatabase): Promise<PaymentsFixture> {
  const { db } = opened;
  const events = createEventBus({ db, logger: silentLogger, options: { pollIntervalMs: 50, retry: { baseDelayMs: 5, maxDelayMs: 20 } } });
  const sandbox = createSandboxGateway({ webhookSecret: WEBHOOK_SECRET });
  const calls: Record<string, number> = {};
  const faults: PaymentsFixture['faults'] = { captureTimeouts: 0, captureGate: null };
  // Counts every call, replays included, in front of the sandbox.
  const counted = new Proxy(sandbox, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        calls[key] = (calls[key] ?? 0) + 1;
        if (key === 'capture' && faults.captureTimeouts > 0) {
          faults.captureTimeouts -= 1;
          return Promise.resolve({ status: 'timeout', code: 'PAYMENTS.GATEWAY_TIMEOUT', retryable: true, message: 'injected capture timeout' });
        }
        if (key === 'capture' && faults.captureGate) return faults.captureGate.then(() => (value as (...a: unknown[]) => unknown).apply(target, args));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const payments = createPaymentsModule({
    db,
    events,
    gateway: counted,
    auth: testAuthenticator(),
    logger: silentLogger,
    config: { maxAttempts: 3, retry: { baseDelayMs: 5, maxDelayMs: 20 } },
  });
  const received: Published[] = [];
  const record = async (event: Published) => void received.push(event);
  events.subscribe('orders-probe', PaymentCompleted, record);
  events.subscribe('orders-probe', PaymentFailed, record);
  events.subscribe('orders-probe', PaymentRefunded, record);
  await migrate(db, [events.migrations, payments.migrations]);
  const server = await createServer({
    logger: silentLogger,
    title: 'payments test',
    description: 'payments routes only',
    metrics: createMetricsRegistry('payments_test'),
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sid' }, bearer: { type: 'http', scheme: 'bearer' } },
  });
  await server.register((api) => payments.routes(api), { prefix: '/api' });
  await server.ready();
  await events.start();
  return {
    db,
    events,
    sandbox,
    server,
    received,
    calls,
    faults,
    async close() {
      await events.stop();
      await server.close();
    },
  };
}

/** A new order's event; `userId` makes it a signed-in customer's order (`asCustomer` is `c-1`), a guest's otherwise. */
export function orderCreated(paymentMethod: string, totalMinor = 2599, meta: { id?: string } = {}, userId: string | null = null) {
  const orderId = randomUUID();
  return OrderCreated.create(
    {
      orderId,
      orderNumber: `SO-${orderId.slice(0, 6)}`,
      customer: { userId, email: 'shopper@example.com' },
      currency: 'EUR',
      subtotalMinor: totalMinor - 499,
      shippingMinor: 499,
      totalMinor,
      lines: [
        {
          variantId: randomUUID(),
          productId: randomUUID(),
          sku: 'TEE-M',
          name: 'Tee',
          quantity: 1,
          unitPriceMinor: totalMinor - 499,
          weightGrams: 200,
        },
      ],
      shippingAddress: { name: 'Ada', line1: '1 Main St', city: 'Berlin', postalCode: '10115', country: 'DE' },
      shippingOption: { id: 'standard', name: 'Standard', priceMinor: 499 },
      paymentMethod,
      accessTokenHash: createHash('sha256').update(GUEST_ORDER_TOKEN).digest('hex'),
    },
    meta,
  );
}

export async function publish(f: PaymentsFixture, event: DomainEvent | DomainEvent[]): Promise<void> {
  await f.db.transaction((tx) => f.events.publish(tx, event));
}

export async function outboxCount(db: Database, type: string, orderId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from events.outbox where type = $1 and payload->>'orderId' = $2`, [
    type,
    orderId,
  ]);
  return rows[0]?.n ?? 0;
}

/** True once every payments delivery has finished (done or dead): nothing is still to run. */
export async function paymentsIdle(db: Database): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from events.deliveries where subscriber = 'payments' and status in ('pending', 'processing')`,
  );
  return rows[0]?.n === 0;
}

/** Polls until `check` gives a value other than undefined/false; the test timeout bounds it. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, everyMs = 20): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
