export { realEngine, TEST_ENGINES } from './engines.ts';
export { realBinary } from './binaries.ts';
export { CHROMIUM, chromiumMissing, launchChromium } from './chromium.ts';
export { freePort } from './free-port.ts';
export { type NatsCluster, type NatsNode, startNatsCluster } from './nats-cluster.ts';
export { percentile, steadyLoad, type SteadyLoadReport } from './steady-load.ts';
