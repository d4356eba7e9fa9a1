import { createLogger } from '@shop/platform';
import { createCommerceApp } from './__tmp_app.ts';
import { loadCommerceConfig } from './__tmp_config.ts';
import { databaseEngines } from '../support/databases.ts';
import { PaymentCompleted } from '../../src/modules/payments/index.ts';
import { orderCreated, CARDS, waitFor } from './support/payments-fixture.ts';
import { freePort } from '../support/process.ts';

const port = await freePort();
const opened = await databaseEngines()[1]!.open();
const config = loadCommerceConfig({ COMMERCE_PORT: String(port), DATA_DIR: '/tmp/paytmp', EVENTS_POLL_INTERVAL_MS: '50' });
const app = await createCommerceApp(config, createLogger('t', 'warn'), { db: opened.db });
await app.server.listen({ port, host: '127.0.0.1' });
const order = orderCreated(CARDS.ok);
await app.db.transaction((tx) => app.events.publish(tx, order));
await waitFor(async () => (await app.db.query<{ n: number }>(`select count(*)::int n from events.outbox where type=$1`, [PaymentCompleted.type])).rows[0]!.n === 1);
await new Promise((r) => setTimeout(r, 1000)); // let the sandbox's HTTP webhooks land
console.log((await app.db.query(`select state from payments.payments`)).rows);
console.log((await app.db.query(`select type, count(*)::int from events.outbox group by type order by type`)).rows);
const logs = await app.db.query(`select subscriber, status, attempts, last_error from events.deliveries order by id`);
console.log(logs.rows);
await app.close();
await opened.cleanup();
