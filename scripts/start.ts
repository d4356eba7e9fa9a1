/**
 * `npm start`: both systems on their embedded defaults (PGlite, in-process cache, file log,
 * local directories), each in its own process, with demo data. Prints where everything is.
 * Any variable of the README's configuration table can be set to switch an engine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { appDataDir, moveNestedAnalyticsData } from './app-data-dirs.ts';
import { demoDeliveredOrder } from './demo-order.ts';

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(process.env.DATA_DIR ?? join(root, 'data'));
const logDir = join(dataDir, 'logs');
mkdirSync(logDir, { recursive: true });

interface DemoSecrets {
  adminEmail: string;
  adminPassword: string;
  /** A back-office staff member (orders and shipments; no prices, refunds or audit log). */
  staffEmail: string;
  staffPassword: string;
  analyticsAdminToken: string;
  /** The demo-shop tenant's keys: analytics registers them at start, commerce sends with the write key. */
  analyticsWriteKey: string;
  analyticsReadKey: string;
  /** What Prometheus sends (Authorization: Bearer) to scrape either system's /metrics. */
  metricsToken: string;
}

/**
 * Demo secrets are made once per data directory and kept there: no default secret ships in the code.
 * A file from an older start gets the missing entries added, never existing ones changed.
 */
function demoSecrets(): DemoSecrets {
  const file = join(dataDir, 'demo-secrets.json');
  const existing: Partial<DemoSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets: DemoSecrets = {
    adminEmail: existing.adminEmail ?? 'admin@demo.shop',
    adminPassword: existing.adminPassword ?? randomBytes(12).toString('base64url'),
    staffEmail: existing.staffEmail ?? 'staff@demo.shop',
    staffPassword: existing.staffPassword ?? randomBytes(12).toString('base64url'),
    analyticsAdminToken: existing.analyticsAdminToken ?? `at_${randomBytes(24).toString('base64url')}`,
    analyticsWriteKey: existing.analyticsWriteKey ?? `wk_${randomBytes(24).toString('base64url')}`,
    analyticsReadKey: existing.analyticsReadKey ?? `rk_${randomBytes(24).toString('base64url')}`,
    metricsToken: existing.metricsToken ?? `mt_${randomBytes(24).toString('base64url')}`,
  };
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

const secrets = demoSecrets();
const commercePort = Number(process.env.COMMERCE_PORT ?? 3000);
const analyticsPort = Number(process.env.ANALYTICS_PORT ?? 3100);
const storefrontPort = Number(process.env.STOREFRONT_PORT ?? 3200);
const backofficePort = Number(process.env.BACKOFFICE_PORT ?? 3300);
const children: ChildProcess[] = [];
const demoWriteKey = process.env.ANALYTICS_DEMO_WRITE_KEY ?? secrets.analyticsWriteKey;
const demoReadKey = process.env.ANALYTICS_DEMO_READ_KEY ?? secrets.analyticsReadKey;
const analyticsMetricsToken = process.env.ANALYTICS_METRICS_TOKEN ?? secrets.metricsToken;
const commerceMetricsToken = process.env.COMMERCE_METRICS_TOKEN ?? secrets.metricsToken;

function launch(name: 'analytics' | 'commerce' | 'storefront' | 'backoffice', entry: string, env: Record<string, string>): ChildProcess {
  const log = openSync(join(logDir, `${name}.log`), 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, DATA_DIR: appDataDir(dataDir, name), ...env },
    stdio: ['ignore', log, 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk}`));
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${name} exited (${signal ?? code}); see ${join(logDir, `${name}.log`)}`);
      shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function waitReady(name: string, url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${name} was not ready at ${url} after ${timeoutMs / 1000}s; see ${logDir}`);
}

/** A token the user set is not echoed: the variable's name stands for it. */
const shown = (token: string, variable: string) => (process.env[variable] ? `$${variable}` : token);

let stopping = false;
function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 10_000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r))))).then(() =>
    process.exit(code),
  );
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

const analyticsEntry = join(root, 'analytics/src/main.ts');
const hasAnalytics = existsSync(analyticsEntry);
if (hasAnalytics) {
  const layout = moveNestedAnalyticsData(dataDir);
  if (layout.moved.length) console.log(`moved analytics data to ${join(dataDir, 'analytics')} (where the CLIs read it): ${layout.moved.join(', ')}`);
  if (layout.leftBehind.length) console.warn(`not moved (already present at ${join(dataDir, 'analytics')}): ${layout.leftBehind.join(', ')}`);
  launch('analytics', analyticsEntry, {
    ANALYTICS_PORT: String(analyticsPort),
    ANALYTICS_ADMIN_TOKEN: process.env.ANALYTICS_ADMIN_TOKEN ?? secrets.analyticsAdminToken,
    ANALYTICS_METRICS_TOKEN: analyticsMetricsToken,
    ANALYTICS_DEMO_TENANT: process.env.ANALYTICS_DEMO_TENANT ?? 'demo-shop',
    ANALYTICS_DEMO_WRITE_KEY: demoWriteKey,
    ANALYTICS_DEMO_READ_KEY: demoReadKey,
    // Two weeks of made-up shop traffic on the first start: batch views and live numbers from the outset.
    ANALYTICS_DEMO_HISTORY_DAYS: process.env.ANALYTICS_DEMO_HISTORY_DAYS ?? '14',
  });
}
launch('commerce', join(root, 'commerce/src/main.ts'), {
  COMMERCE_PORT: String(commercePort),
  SEED_DEMO_DATA: process.env.SEED_DEMO_DATA ?? 'true',
  COMMERCE_METRICS_TOKEN: commerceMetricsToken,
  ADMIN_EMAIL: process.env.ADMIN_EMAIL ?? secrets.adminEmail,
  ADMIN_PASSWORD: process.env.ADMIN_PASSWORD ?? secrets.adminPassword,
  STAFF_EMAIL: process.env.STAFF_EMAIL ?? secrets.staffEmail,
  STAFF_PASSWORD: process.env.STAFF_PASSWORD ?? secrets.staffPassword,
  ...(hasAnalytics
    ? { ANALYTICS_URL: process.env.ANALYTICS_URL ?? `http://127.0.0.1:${analyticsPort}`, ANALYTICS_WRITE_KEY: process.env.ANALYTICS_WRITE_KEY ?? demoWriteKey }
    : {}),
});

const commerceUrl = `http://127.0.0.1:${commercePort}`;
const analyticsUrl = `http://127.0.0.1:${analyticsPort}`;
const storefrontUrl = `http://127.0.0.1:${storefrontPort}`;
const backofficeUrl = `http://127.0.0.1:${backofficePort}`;
// The shop's face: a client of the commerce API only; shoppers' page views go to analytics as demo-shop.
launch('storefront', join(root, 'storefront/src/server/main.ts'), {
  STOREFRONT_PORT: String(storefrontPort),
  COMMERCE_URL: process.env.COMMERCE_URL ?? commerceUrl,
  ...(hasAnalytics ? { ANALYTICS_URL: process.env.ANALYTICS_URL ?? analyticsUrl, ANALYTICS_WRITE_KEY: process.env.ANALYTICS_WRITE_KEY ?? demoWriteKey } : {}),
});

// The merchant's screens: a client of the commerce admin API only.
launch('backoffice', join(root, 'backoffice/src/server/main.ts'), {
  BACKOFFICE_PORT: String(backofficePort),
  COMMERCE_URL: process.env.COMMERCE_URL ?? commerceUrl,
  STOREFRONT_URL: process.env.STOREFRONT_URL ?? storefrontUrl,
  // Today's shoppers on the home page: read server-side with the demo tenant's read key.
  ...(hasAnalytics ? { BACKOFFICE_ANALYTICS_URL: process.env.ANALYTICS_URL ?? analyticsUrl, BACKOFFICE_ANALYTICS_READ_KEY: process.env.BACKOFFICE_ANALYTICS_READ_KEY ?? demoReadKey } : {}),
});

console.log('starting… (first start loads demo data; logs in', logDir + ')');
await Promise.all([
  waitReady('commerce', `${commerceUrl}/ready`),
  waitReady('storefront', `${storefrontUrl}/health`),
  waitReady('backoffice', `${backofficeUrl}/health`),
  hasAnalytics ? waitReady('analytics', `${analyticsUrl}/ready`) : Promise.resolve(),
]).catch((error: Error) => {
  console.error(error.message);
  shutdown(1);
});
// A delivered order with its invoice, for the returns and invoices screens (first start only; kept in DATA_DIR).
let demoOrderLine = '';
if (!stopping && !process.env.COMMERCE_URL) {
  try {
    const admin = { email: process.env.ADMIN_EMAIL ?? secrets.adminEmail, password: process.env.ADMIN_PASSWORD ?? secrets.adminPassword };
    const demo = await demoDeliveredOrder(commerceUrl, admin, join(dataDir, 'demo-order.json'));
    demoOrderLine = `\n  Returns    ${storefrontUrl}/orders/${demo.orderId}?token=${demo.orderToken}\n             (delivered demo order ${demo.orderNumber}: its invoice PDF and "Request a return"; staff handle it under Returns)`;
  } catch (error) {
    demoOrderLine = `\n  (no demo order for returns: ${(error as Error).message})`;
  }
}
if (!stopping) {
  console.log(`
  Shop       ${storefrontUrl}   (the storefront: open it in a browser, or install it as an app)
             regions: Europe (EUR, VAT included), United States (USD, sales tax added), Japan (JPY); pick one on the cart
             discount codes: WELCOME10 (10% off, once per customer), FREESHIP (free shipping from 30 EUR); 15 EUR off from 150 EUR automatically
  Back office ${backofficeUrl}   (the merchant's screens; demo sign-ins below)
             admin: ${process.env.ADMIN_EMAIL ?? secrets.adminEmail} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : secrets.adminPassword}
             staff: ${process.env.STAFF_EMAIL ?? secrets.staffEmail} / ${process.env.STAFF_PASSWORD ? '(STAFF_PASSWORD)' : secrets.staffPassword}   (orders and shipments; no prices or refunds)${demoOrderLine}
  Commerce   ${commerceUrl}/api/products   API docs ${commerceUrl}/docs
${
  hasAnalytics
    ? `  Analytics  ${analyticsUrl}/v1/batch (collector)   ${analyticsUrl}/v1/query   API docs ${analyticsUrl}/docs
             admin token: ${process.env.ANALYTICS_ADMIN_TOKEN ? '(ANALYTICS_ADMIN_TOKEN)' : secrets.analyticsAdminToken}
             console (tenants, keys, usage, erasures; sign in with the admin token): ${analyticsUrl}/console
             dashboard (demo-shop): ${analyticsUrl}/dashboard#key=${demoReadKey}
             demo-shop (the shop's own traffic): curl -H 'authorization: Bearer ${demoReadKey}' '${analyticsUrl}/v1/query?metric=events&breakdown=event'
             by country (or browser, device, utmSource, referrer: ${analyticsUrl}/v1/dimensions): curl -H 'authorization: Bearer ${demoReadKey}' '${analyticsUrl}/v1/query?metric=pageviews&breakdown=country'
             tracking script for a site: <script defer src="${analyticsUrl}/t.js" data-write-key="${demoWriteKey}"></script>
`
    : ''
}  Metrics    curl -H 'authorization: Bearer ${shown(commerceMetricsToken, 'COMMERCE_METRICS_TOKEN')}' ${commerceUrl}/metrics${
    hasAnalytics ? `\n             curl -H 'authorization: Bearer ${shown(analyticsMetricsToken, 'ANALYTICS_METRICS_TOKEN')}' ${analyticsUrl}/metrics` : ''
  }
             (Prometheus: authorization: { type: Bearer, credentials: <token> } in the scrape config)

  Ctrl-C stops them all.`);
}
