export { realEngine, TEST_ENGINES } from './engines.ts';
export { realBinary } from './binaries.ts';
export { CHROMIUM, chromiumMissing, launchChromium } from './chromium.ts';
export { freePort } from './free-port.ts';
export { type NatsCluster, type NatsNode, startNatsCluster } from './nats-cluster.ts';
export { percentile, steadyLoad, type SteadyLoadReport } from './steady-load.ts';
export { redisClusterAvailable, redisClusterBinariesPresent, startRedisCluster, type RedisCluster, type RedisClusterNode } from './redis-cluster.ts';
export { deleteRedisKeys, listRedisKeys, redisEngines, type RedisEngine } from './redis-engines.ts';
export { postgresBinaries, startPostgresStandbyPair, type PostgresServer, type PostgresStandbyPair } from './postgres-standby.ts';
