export { realEngine, TEST_ENGINES } from './engines.ts';
export { CHROMIUM, chromiumMissing, launchChromium } from './chromium.ts';
export { freePort } from './free-port.ts';
export { postgresBinaries, startPostgresStandbyPair, type PostgresServer, type PostgresStandbyPair } from './postgres-standby.ts';
