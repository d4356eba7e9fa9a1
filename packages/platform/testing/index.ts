export { realEngine, TEST_ENGINES } from './engines.ts';
export { CHROMIUM, chromiumMissing, launchChromium } from './chromium.ts';
export { freePort } from './free-port.ts';
export { redisClusterAvailable, redisClusterBinariesPresent, startRedisCluster, type RedisCluster, type RedisClusterNode } from './redis-cluster.ts';
export { deleteRedisKeys, listRedisKeys, redisEngines, type RedisEngine } from './redis-engines.ts';
export { postgresBinaries, startPostgresStandbyPair, type PostgresServer, type PostgresStandbyPair } from './postgres-standby.ts';
