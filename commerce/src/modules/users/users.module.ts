import { randomUUID } from 'node:crypto';
import type { Logger } from '@shop/platform';
import type { Database } from '../../shared/database/index.ts';
import type { Authenticator } from '../../shared/http/auth.ts';
import type { EventBus } from '../../shared/events/index.ts';
import type { KeyValueStore } from '../../shared/kv/index.ts';
import type { CommerceModule } from '../../shared/module.ts';
import { addressRoutes } from './api/address.routes.ts';
import { adminCustomerRoutes } from './api/admin-customers.routes.ts';
import { adminRoutes } from './api/admin.routes.ts';
import { authRoutes } from './api/auth.routes.ts';
import { createAuthenticator } from './api/authenticator.ts';
import { toUserDto } from './api/users.dto.ts';
import type { OnSignedIn, UsersHttpContext } from './api/users.http-context.ts';
import type { UserDto } from './api/users.schemas.ts';
import { ensureAccount } from './application/ensure-account.ts';
import { getUser } from './application/get-user.ts';
import type { UsersDeps } from './application/ports/users.ports.ts';
import { createAddressRepository } from './infrastructure/address.repository.ts';
import { createCustomerQueries } from './infrastructure/customer.queries.ts';
import type { CustomerOrders } from './application/ports/customer-directory.port.ts';
import { DEVICE_TTL_SECONDS } from './api/session-cookies.ts';
import { commonPasswordList } from './infrastructure/common-passwords.ts';
import { createEventRegistrationNotices } from './infrastructure/event-registration-notices.ts';
import { createKvKnownDevices } from './infrastructure/kv-known-devices.ts';
import { createKvLoginRateLimiter } from './infrastructure/kv-login-rate-limiter.ts';
import { createScryptPasswordHasher, type ScryptParams } from './infrastructure/scrypt-password-hasher.ts';
import { createSecretTokens } from './infrastructure/secret-tokens.ts';
import { createSessionRepository } from './infrastructure/session.repository.ts';
import { createUserRepository } from './infrastructure/user.repository.ts';
import { usersMigrations } from './infrastructure/users.migrations.ts';

export interface UsersConfig {
  sessionTtlHours: number;
  /** Adds `Secure` to the cookies; on whenever the site is served over HTTPS. */
  cookieSecure: boolean;
  /** Failed sign-ins one email may have from one address (or one known device) before delays start. */
  loginMaxAttempts: number;
  /** Longest delay between sign-in attempts of one email from one address; also the per-address window. */
  loginWindowSeconds: number;
  /** Failed sign-ins one IP address may have per window, across every account. */
  loginIpMaxAttempts: number;
  /** Created, or promoted to admin, at start. */
  initialAdmin?: { email: string; password: string } | undefined;
  /** Created, or given the staff role, at start (the demo's back-office staff member). */
  initialStaff?: { email: string; password: string } | undefined;
  /** scrypt cost; production keeps the default, tests lower it to stay fast. */
  passwordHashing?: ScryptParams;
}

export interface UsersModuleDeps {
  db: Database;
  kv: KeyValueStore;
  /** The outbox: tells notifications about registrations with an existing email. */
  events: EventBus;
  logger: Logger;
  config: UsersConfig;
  /** Called after every sign-in and registration (the cart merges the guest cart). A failure is logged, not fatal. */
  onSignedIn?: OnSignedIn;
  /** A customer's orders for the admin's customer detail (orders' API); none when left out. */
  customerOrders?: CustomerOrders;
  /** Injected in tests to expire sessions without waiting. */
  now?: () => Date;
}

/** The users module as other modules see it. */
export interface UsersApi {
  authenticator: Authenticator;
  /** The user with this id, or null (also for ids that are not UUIDs). */
  getUser(id: string): Promise<UserDto | null>;
}

/**
 * Accounts, sessions, roles and saved addresses, in the `users` schema.
 *
 * @example
 * const users = createUsersModule({ db, kv, events, logger, config: { sessionTtlHours: 720, cookieSecure: true,
 *   loginMaxAttempts: 5, loginWindowSeconds: 900, loginIpMaxAttempts: 100 }, onSignedIn: async ({ userId, request }) => {} });
 * const auth = users.api.authenticator; // hand this to every module with routes
 */
export function createUsersModule(options: UsersModuleDeps): CommerceModule<UsersApi> {
  const { db, kv, logger, config } = options;
  const deps: UsersDeps = {
    users: createUserRepository(db),
    sessions: createSessionRepository(db),
    addresses: createAddressRepository(db),
    passwords: createScryptPasswordHasher(config.passwordHashing),
    tokens: createSecretTokens(),
    loginLimiter: createKvLoginRateLimiter(kv, {
      freeAttempts: config.loginMaxAttempts,
      maxDelaySeconds: config.loginWindowSeconds,
      sourceMaxAttempts: config.loginIpMaxAttempts,
      now: () => (options.now ?? (() => new Date()))().getTime(),
    }),
    knownDevices: createKvKnownDevices(kv, { ttlSeconds: DEVICE_TTL_SECONDS }),
    commonPasswords: commonPasswordList(),
    registrationNotices: createEventRegistrationNotices(db, options.events),
    now: options.now ?? (() => new Date()),
    newId: randomUUID,
    sessionTtlHours: config.sessionTtlHours,
  };
  const authenticator = createAuthenticator(deps);
  const http: UsersHttpContext = {
    deps,
    auth: authenticator,
    cookieSecure: config.cookieSecure,
    onSignedIn: options.onSignedIn ?? (async () => undefined),
    logger,
  };

  return {
    name: 'users',
    api: {
      authenticator,
      async getUser(id) {
        const user = await getUser(deps, id);
        return user ? toUserDto(user) : null;
      },
    },
    migrations: usersMigrations,
    async routes(app) {
      await authRoutes(app, http);
      await addressRoutes(app, http);
      await adminRoutes(app, http);
      await app.register(
        adminCustomerRoutes({
          customers: createCustomerQueries(db),
          orders: options.customerOrders ?? { ordersOfCustomer: async () => [] },
          auth: authenticator,
        }),
        { prefix: '/admin' },
      );
    },
    async start() {
      for (const [role, account] of [['admin', config.initialAdmin], ['staff', config.initialStaff]] as const) {
        if (!account) continue;
        const user = await ensureAccount(deps, { ...account, role });
        logger.info({ userId: user.id, email: user.email }, `initial ${role} ready`);
      }
    },
  };
}
